"""Bank vs book (#16 item 5): per reconciled account and day the bank's
closing balance, the ledger's balance, the open items, what is left; a day
is reconciled only when nothing is left; an approver who did not last
change the day's matching signs it off (recorded, audited, once)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

from sqlalchemy import select

from api.auth import create_user
from ledger.events import audit_log
from ledger.model import NewTransaction, Posting
from recon import model as M
from recon.tables import recon_day_signoffs
from tests.console.conftest import PASSWORD, business_today, client_for, csrf_of, login

BANK2 = "US00NOSTRO0002"


async def _second_nostro(app, world) -> dict:
    """A second reconciled USD account: ledger entries of 500.00 (day 1) and
    200.00 (day 2); statements closing day 1 at 500.00, day 2 at 685.00 (the
    200.00 and a 15.00 charge the book does not have), day 3 at 690.00 with
    no line (a closing balance nothing explains).  The matcher runs as the
    approver ``chen``."""
    ctx = app.state.ctx
    L, recon, inst = ctx.ledger, ctx.recon, world.institution_id
    today = business_today()
    d1, d2, d3 = today - timedelta(days=3), today - timedelta(days=2), today - timedelta(days=1)
    nostro = (await L.create_account(inst, world.ledger_id, "nostro2_usd", "USD", "asset")).id
    acct = await recon.register_account(inst, bank_account=BANK2, ledger_account_id=nostro, name="BOC USD nostro", start_date=d1 - timedelta(days=5))
    for ref, amount, day in (("INV-1", 50_000, d1), ("INV-2", 20_000, d2)):
        await L.post(inst, NewTransaction(world.ledger_id, [Posting(nostro, amount, "debit"), Posting(world.accounts["clients_usd"], amount, "credit")],
                                          idempotency_key=f"bb:{ref}", effective_date=day, description=f"receipt {ref}", metadata={"reference": ref}))

    def statement(sid, opening, closing, day, entries):
        return [M.StatementHeader(format="camt.053", statement_id=sid, account=BANK2, currency="USD", opening_balance_minor=opening),
                *[M.StatementEntry(index=i, amount_minor=a, currency="USD", booking_date=day, value_date=day, end_to_end_ref=r, description=r, position=f"line {i}")
                  for i, (a, r) in enumerate(entries)],
                M.StatementFooter(closing_balance_minor=closing, closing_balance_date=day, entry_count=len(entries))]

    await recon.import_events(inst, statement("BB-1", 0, 50_000, d1, [(50_000, "INV-1")]), filename="bb1.xml")
    await recon.import_events(inst, statement("BB-2", 50_000, 68_500, d2, [(20_000, "INV-2"), (-1_500, "CHARGES")]), filename="bb2.xml")
    await recon.import_events(inst, statement("BB-3", 68_500, 69_000, d3, []), filename="bb3.xml")
    async with ctx.engine.begin() as conn:
        li = await create_user(conn, inst, "li", PASSWORD, "approver")
    chen = await _actor(app, world, "chen")
    runs = await recon.run_matching(inst, recon_account_id=acct.id, actor=chen)
    assert sum(sum(r.counts.values()) for r in runs) == 2
    return {"acct": acct.id, "d1": d1, "d2": d2, "d3": d3, "li": li}


async def _actor(app, world, username: str) -> str:
    from api.schema import users

    async with app.state.ctx.engine.connect() as conn:
        uid = (await conn.execute(select(users.c.id).where(users.c.institution_id == world.institution_id, users.c.username == username))).scalar_one()
    return f"user:{uid}"


def _cells(html: str, day) -> list[str]:
    m = re.search(rf'<tr id="day-{day}"[^>]*>(.*?)</tr>', html, re.S)
    assert m, f"no row for {day}"
    return [re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", c))).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)]


async def test_each_day_shows_bank_book_open_items_and_what_is_left(app, world):
    s = await _second_nostro(app, world)
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        r = await c.get("/console/bankbook", params={"account": str(s["acct"])})
        assert r.status_code == 200
        # day, bank, book, difference, in bank not book (count), in book not bank (count), charges, left, status
        assert _cells(r.text, s["d1"])[:9] == [str(s["d1"]), "500.00", "500.00", "0.00", "0.00 (0)", "0.00 (0)", "0.00", "0.00", "reconciled"]
        assert _cells(r.text, s["d2"])[:9] == [str(s["d2"]), "685.00", "700.00", "-15.00", "-15.00 (1)", "0.00 (0)", "0.00", "0.00", "reconciled"]
        assert _cells(r.text, s["d3"])[:9] == [str(s["d3"]), "690.00", "700.00", "-10.00", "-15.00 (1)", "0.00 (0)", "0.00", "5.00", "not reconciled"]
        # finance users see no sign-off button; the matcher is named
        assert '<button type="submit" class="signoff"' not in r.text
        assert "matching last changed by chen" in html_lib.unescape(r.text)
        # the open items drill to the exceptions queue, narrowed to the account, the side and the day
        link = f'/console/exceptions?account={s["acct"]}&amp;side=line&amp;value_to={s["d3"]}'
        assert f'href="{link}"' in r.text and "side=entry" not in re.search(rf'<tr id="day-{s["d3"]}".*?</tr>', r.text, re.S).group(0)
        queue = (await c.get(html_lib.unescape(link))).text
        assert re.findall(r'<td class="num">([-0-9,.]+) USD</td>', queue) == ["-15.00"] and "CHARGES" in queue
        # the page defaults to the first reconciled account and the last 31 days
        assert (await c.get("/console/bankbook")).status_code == 200
    async with client_for(app, lang=None) as zh:  # in Chinese, the default
        await login(zh, world.code, "mei")
        page = html_lib.unescape((await zh.get("/console/bankbook", params={"account": str(s["acct"])})).text)
        assert "<h1>银行与账面核对</h1>" in page and _cells(page, s["d1"])[8] == "已对平" and _cells(page, s["d3"])[8] == "未对平"
        assert "银行期末余额" in page and "匹配最后由 chen 修改" in page
        audit = (await zh.get("/console/audit")).text
        assert "<h1>审计日志</h1>" in audit and "只读视图" in audit
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        r = await c.get("/console/bankbook", params={"account": str(s["acct"]), "date_from": "2026-13-01"})
        assert r.status_code == 422 and "expected a date YYYY-MM-DD" in r.text
        r = await c.get("/console/bankbook", params={"account": str(s["acct"]), "date_from": "2020-01-01", "date_to": "2026-01-01"})
        assert r.status_code == 422 and "at most 92 days" in r.text


async def test_an_approver_signs_off_a_reconciled_day_once_and_not_the_one_who_matched_it(app, world, other_world):
    s = await _second_nostro(app, world)
    async with client_for(app) as chen:  # he ran the matcher: four eyes
        await login(chen, world.code, "chen")
        page = (await chen.get("/console/bankbook", params={"account": str(s["acct"])})).text
        r = await chen.post("/console/bankbook/signoff", data={"csrf": csrf_of(page), "account": str(s["acct"]), "day": str(s["d1"])})
        assert r.status_code == 303
        flash = html_lib.unescape((await chen.get(r.headers["location"])).text)
        assert "must be another person than its maker" in flash
    async with client_for(app) as mei:  # finance: not an approver
        await login(mei, world.code, "mei")
        page = (await mei.get("/console/bankbook", params={"account": str(s["acct"])})).text
        r = await mei.post("/console/bankbook/signoff", data={"csrf": csrf_of(page), "account": str(s["acct"]), "day": str(s["d1"])})
        assert "may not approve" in html_lib.unescape((await mei.get(r.headers["location"])).text)
    async with client_for(app) as li:
        await login(li, world.code, "li")
        page = (await li.get("/console/bankbook", params={"account": str(s["acct"])})).text
        assert f'aria-label="sign off {s["d1"]}"' in page and f'aria-label="sign off {s["d3"]}"' not in page  # only reconciled days
        csrf = csrf_of(page)
        # the unreconciled day is refused with what is left
        r = await li.post("/console/bankbook/signoff", data={"csrf": csrf, "account": str(s["acct"]), "day": str(s["d3"])})
        assert "the difference after open items is 500 (minor units)" in html_lib.unescape((await li.get(r.headers["location"])).text)
        r = await li.post("/console/bankbook/signoff", data={"csrf": csrf, "account": str(s["acct"]), "day": str(s["d1"])})
        page = html_lib.unescape((await li.get(r.headers["location"])).text)
        assert f"{s['d1']} signed off." in page
        assert "signed off by li" in _cells(page, s["d1"])[9]
        r = await li.post("/console/bankbook/signoff", data={"csrf": csrf, "account": str(s["acct"]), "day": str(s["d1"])})
        assert "Day already signed off" in html_lib.unescape((await li.get(r.headers["location"])).text)
        # another institution's reconciled account: not found; no CSRF token: refused
        assert (await li.get("/console/bankbook", params={"account": str(other_world.recon_account_id)})).status_code == 404
        r = await li.post("/console/bankbook/signoff", data={"csrf": csrf, "account": str(other_world.recon_account_id), "day": str(s["d1"])})
        assert r.status_code == 404
        assert (await li.post("/console/bankbook/signoff", data={"account": str(s["acct"]), "day": str(s["d2"])})).status_code == 403
    async with app.state.ctx.engine.connect() as conn:
        rows = (await conn.execute(select(recon_day_signoffs))).all()
        audit = (await conn.execute(select(audit_log).where(audit_log.c.action == "recon.day_signed_off"))).all()
    assert [(r.day, r.bank_closing_minor, r.book_minor, r.open_items_minor, r.signed_by_name) for r in rows] == [(s["d1"], 50_000, 50_000, 0, "li")]
    assert len(audit) == 1 and audit[0].actor_id == f"user:{s['li']['id']}" and audit[0].after["day"] == str(s["d1"])
