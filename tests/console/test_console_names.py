"""Names, not ids (#16 item 2): accounts by customer name, role and currency
in reports and pages, ids on hover only; the account picker's search (name,
code, owner) and what a form may send for an account (id, code, a picked
name); another institution's accounts are never found."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from uuid import UUID

from ledger.ids import uuid7
from tests.console.conftest import business_today, client_for, csrf_of, login

CN_NAME = "深圳市前海跨境贸易有限公司"


async def _chinese_customer_and_loan(app, world) -> dict[str, UUID]:
    """A customer with a Chinese name (its USD accounts) and a loan principal account."""
    from settlement.customers import open_customer

    ctx = app.state.ctx
    cust = await open_customer(ctx.ledger, ctx.keyring, world.institution_id, ref="M-CN-7", kind="enterprise", name=CN_NAME, fx_class="A",
                               directory_registered=True, currencies=["USD"])
    fin = await ctx.ledger.create_ledger(world.institution_id, "financing", "Financing")
    loan_id = uuid7()
    principal = await ctx.ledger.create_account(world.institution_id, fin.id, f"loan:{loan_id}:principal", "USD", "asset", owner_ref=str(cust.id))
    return {"customer": cust.id, "loan": loan_id, "principal": principal.id}


def _links(html: str) -> list[str]:
    return [html_lib.unescape(h) for h in re.findall(r'<a href="([^"]+)" class="drill"', html)]


def _visible(html: str) -> str:
    """The page's text without attributes (what a reader sees)."""
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


async def test_the_trial_balance_names_accounts_in_chinese_with_ids_on_hover(app, world):
    made = await _chinese_customer_and_loan(app, world)
    number = "L-" + made["loan"].hex[-8:].upper()
    async with client_for(app, lang=None) as c:  # Chinese, the default
        await login(c, world.code, "mei")
        r = await c.get("/console/reports/trial_balance?run=1")
        assert r.status_code == 200
        seen = _visible(r.text)
        assert f"{CN_NAME} · 经常账户 · USD" in seen and f"{CN_NAME} · 待核查账户 · USD" in seen
        assert f"贷款 {number} · 本金" in seen
        assert "Shenzhen Demo Trading Co., Ltd. · 经常账户 · USD" in seen
        # no code and no id in the text: on hover only (title attribute)
        assert "cust:" not in seen and "loan:" not in seen and str(made["principal"]) not in seen
        assert f'title="loan:{made["loan"]}:principal · {made["principal"]}"' in r.text
        # the CSV keeps the code and the id and adds the name
        rows = list(csv.DictReader(io.StringIO((await c.get("/console/reports/trial_balance/csv")).content.decode("utf-8-sig"))))
        [loan_row] = [x for x in rows if x["账户"] == f"loan:{made['loan']}:principal"]
        assert loan_row["账户名称"] == f"贷款 {number} · 本金" and loan_row["账户编号"] == str(made["principal"])


async def test_every_trial_balance_figure_links_to_the_statement_behind_it(app, world):
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        r = await c.get("/console/reports/trial_balance?run=1&ledger=main&as_of_date=2099-12-31")
        nostro = world.accounts["nostro_usd"]
        want = f"/console/reports/account_statement?run=1&account_id={nostro}&date_to=2099-12-31"
        # the name and the five figures of the row: debits, credits, debit balance, credit balance, net
        assert _links(r.text).count(want) == 6
        r = await c.get(want)
        assert r.status_code == 200
        assert "Statement of account nostro_usd · USD" in _visible(r.text)
        # the picker shows the account by name, not by id
        assert 'value="nostro_usd · USD"' in html_lib.unescape(r.text)
        tx_links = [h for h in _links(r.text) if h.startswith("/console/transactions/")]
        assert len(tx_links) == 1 and world.entry_id.startswith(tx_links[0].rsplit("/", 1)[1])


async def test_the_account_picker_finds_accounts_by_name_code_and_owner_of_its_institution_only(app, world, other_world):
    made = await _chinese_customer_and_loan(app, world)
    async with client_for(app) as c:
        await login(c, world.code, "mei")

        async def search(q: str) -> list[dict]:
            r = await c.get("/console/accounts/search", params={"q": q})
            assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
            return r.json()["accounts"]

        by_name = await search("前海")
        assert {a["label"] for a in by_name} >= {f"{CN_NAME} · current account · USD", f"{CN_NAME} · CNY account · CNY"}
        # the customer's accounts and the loan it owns
        assert {a["code"] for a in by_name} >= {f"cust:{made['customer']}:current:USD", f"loan:{made['loan']}:principal"}
        assert all(a["code"].startswith(f"cust:{made['customer']}:") or a["code"] == f"loan:{made['loan']}:principal" for a in by_name)
        assert {a["id"] for a in await search("M-CN-7")} == {a["id"] for a in by_name}  # by the owner's reference
        assert [a["label"] for a in await search("NOSTRO_usd")] == ["nostro_usd · USD"]  # by code, any case
        assert [a["id"] for a in await search(str(world.accounts["charges_usd"]))] == [str(world.accounts["charges_usd"])]
        # another institution's account: not found, by id or by code
        assert await search(str(other_world.accounts["nostro_usd"])) == []
        assert all(a["id"] != str(other_world.accounts["nostro_usd"]) for a in await search("nostro"))
        assert await search("") == [] and await search("%") == [] and await search("_") != []  # LIKE wildcards are text
        # the statement by a picked name; an unknown name is the form again with the reason
        r = await c.get("/console/reports/account_statement", params={"run": "1", "account_id": f"{CN_NAME} · current account · USD"})
        assert r.status_code == 200 and f"Statement of account {CN_NAME} · current account · USD" in _visible(r.text)
        r = await c.get("/console/reports/account_statement", params={"run": "1", "account_id": "no such account"})
        assert r.status_code == 422 and "No account matches" in _visible(r.text)
        r = await c.get("/console/reports/account_statement/csv", params={"account_id": str(other_world.accounts["nostro_usd"])})
        assert r.status_code == 404
    async with client_for(app) as anonymous:  # no session: back to the login page, nothing found
        assert (await anonymous.get("/console/accounts/search", params={"q": "nostro"})).status_code == 303


async def test_the_adjustment_form_takes_a_picked_counter_account(app, world, other_world):
    recon = app.state.ctx.recon
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        page = (await c.get("/console/exceptions")).text
        assert 'data-account-search="/console/accounts/search"' in page
        # another institution's account id: no such account, nothing proposed
        r = await c.post("/console/exceptions/adjust", data={"csrf": csrf_of(page), "line_ids": world.line_id, "adjustment_account": str(other_world.accounts["charges_usd"])})
        assert r.status_code == 303
        assert "No account matches" in html_lib.unescape((await c.get("/console/exceptions")).text)
        assert await recon.proposals(world.institution_id) == []
        r = await c.post("/console/exceptions/adjust", data={"csrf": csrf_of(page), "line_ids": world.line_id, "adjustment_account": "charges_usd · USD"})
        assert r.status_code == 303
        [proposal] = await recon.proposals(world.institution_id)
        assert proposal.payload["adjustment"]["counter_account_id"] == str(world.accounts["charges_usd"])
    async with client_for(app, lang=None) as checker:
        await login(checker, world.code, "chen")
        approvals = html_lib.unescape((await checker.get("/console/approvals")).text)
        assert "charges_usd · USD" in approvals and str(world.accounts["charges_usd"]) not in approvals


async def test_the_advance_aging_report_and_the_advance_accounts_name_the_merchant(app, world):
    from settlement.advances import record_advance

    ctx = app.state.ctx
    await record_advance(ctx.ledger, world.institution_id, merchant_ref="M001", provider_ref="WH-9", kind="warehousing", currency="USD", amount_minor=12_345,
                         advance_date=business_today())
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        r = await c.get("/console/reports/advance_aging?run=1")
        assert r.status_code == 200
        row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", r.text, re.S).group(1)
        assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[:3] == ["M001", "Shenzhen Demo Trading Co., Ltd.", "USD"]
        rows = list(csv.DictReader(io.StringIO((await c.get("/console/reports/advance_aging/csv")).content.decode("utf-8-sig"))))
        assert rows[0]["Merchant"] == "M001" and rows[0]["Merchant name"] == "Shenzhen Demo Trading Co., Ltd."
        seen = _visible((await c.get("/console/reports/trial_balance?run=1")).text)
        assert "Shenzhen Demo Trading Co., Ltd. · advance receivable · USD" in seen and "WH-9 · advance payable · USD" in seen
