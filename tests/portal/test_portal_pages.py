"""The SME portal over HTTP (httpx on the ASGI app, both databases): sign
in (SME users only), the pages from the eligible assets to a repayment,
made once per form, CSRF on every form, tenancy (another merchant's loan
is the same 404 page as none), documents, Chinese first."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
import uuid
from decimal import Decimal

from sqlalchemy import func, select

from api.routers import portal
from api.routers.portal import SESSION_COOKIE
from financing.tables_loans import financing_loan_repayments, financing_loans
from tests.portal.conftest import client_for, csrf_of, decide_and_offer, disburse, key_of, login


def _text(html: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", m.group(1)).strip()) if m else ""


def _cells(html: str, row_id: str) -> list[str]:
    """The cells of the table row ``row_id``, as text."""
    m = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert m, f"no row {row_id}"
    return [html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", c).strip()) for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)]


def _flash(html: str) -> str:
    return _text(html, "flash")


async def _count(app, table, **where) -> int:
    async with app.state.ctx.engine.connect() as conn:
        stmt = select(func.count()).select_from(table)
        for col, v in where.items():
            stmt = stmt.where(table.c[col] == v)
        return int((await conn.execute(stmt)).scalar_one())


async def _apply(c, shop, amount: str = "80000.00", tenor: str = "90", orders: int = 20):
    page = (await c.get("/portal/apply")).text
    data = {"csrf": csrf_of(page), "key": key_of(page), "product": str(shop.product_id), "amount": amount, "tenor": tenor,
            "orders": [f"shopx:{o}" for o in sorted(shop.orders)[:orders]]}
    return data, await c.post("/portal/apply", data=data)


async def test_an_sme_walks_from_assets_to_a_repayment_made_once(app, shop, monkeypatch):
    async with client_for(app) as c:
        r = await login(c, shop.code, "sme1")
        assert r.status_code == 303 and r.headers["location"] == "/portal/loans"
        cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}="))
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower() and "path=/portal" in cookie.lower()
        # assets: the 120 orders, USD 5,000.00 each, 70 % advance
        page = await c.get(f"/portal/assets?product={shop.product_id}")
        assert page.status_code == 200 and page.headers["x-frame-options"] == "DENY"
        assert page.text.count('class="asset"') == 120
        assert "USD 5,000.00" in page.text and "USD 3,500.00" in page.text
        # apply with 20 orders: a double-submitted form makes one application
        data, r = await _apply(c, shop)
        assert r.status_code == 303, r.text
        lid = r.headers["location"].removeprefix("/portal/loans/")
        again = await c.post("/portal/apply", data=data)
        assert again.status_code == 303 and again.headers["location"] == f"/portal/loans/{lid}"
        assert await _count(app, financing_loans, institution_id=shop.institution_id) == 1
        other = await c.post("/portal/apply", data={**data, "amount": "1000.00"})  # the same form key with other values
        assert other.status_code == 422 and _text(other.text, "apply-error")
        assert await _count(app, financing_loans, institution_id=shop.institution_id) == 1
        page = (await c.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "applied" and "The bank is reviewing your application." in page
        # staff decide (the limit: 70 % of USD 100,000.00) and offer
        await decide_and_offer(app, shop, uuid.UUID(lid), "70000.00")
        page = (await c.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "offered"
        assert _text(page, "offer-principal") == "USD 70,000.00" and _text(page, "offer-fee") == "USD 350.00"
        assert _text(page, "decision-result") == "Approved: limit USD 70,000.00"
        offer = {k: _money(_text(page, f"offer-{k}")) for k in ("principal", "fee", "interest", "cost", "total")}
        assert offer["cost"] == offer["interest"] + offer["fee"] and offer["total"] == offer["principal"] + offer["cost"]
        assert re.fullmatch(r"\d+\.\d\d%", _text(page, "offer-apr"))
        disclosure = _text(page, "disclosure")
        assert disclosure.startswith("Principal USD 70,000.00, equal instalments, 3 instalments")
        assert f"total repayable {_text(page, 'offer-total')}" in disclosure and f"annualized cost (IRR method) {_text(page, 'offer-apr')[:-1]} %" in disclosure
        r = await c.post(f"/portal/loans/{lid}/accept", data={"csrf": csrf_of(page)})
        assert r.status_code == 303 and "You accepted the offer." in _flash((await c.get(r.headers["location"])).text)
        r = await c.post(f"/portal/loans/{lid}/accept", data={"csrf": csrf_of(page)})  # submitted twice: still fine
        assert r.status_code == 303 and "You accepted the offer." in _flash((await c.get(r.headers["location"])).text)
        r = await c.post(f"/portal/loans/{lid}/decline", data={"csrf": csrf_of(page)})  # too late to decline
        assert r.status_code == 303 and "loan" in _flash((await c.get(r.headers["location"])).text).lower()
        await disburse(app, shop, uuid.UUID(lid))
        page = (await c.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "active" and _text(page, "outstanding") == "USD 70,350.00"  # the fee is owed from the payout
        rows = [_cells(page, f"instalment-{n}") for n in (1, 2, 3)]
        assert [r[0] for r in rows] == ["1", "2", "3"] and [r[-1] for r in rows] == ["due"] * 3 and [r[-2] for r in rows] == ["0.00"] * 3
        assert sum(_money(r[2]) for r in rows) == Decimal("70000.00") and sum(_money(r[5]) for r in rows) == offer["total"]
        assert _text(page, "next-due") == f"USD {rows[0][5]}"
        # repay the next instalment from the current account; the double submit posts once
        form = (await c.get(f"/portal/loans/{lid}/repay")).text
        amount = re.search(r'id="amount" name="amount"[^>]*value="([^"]+)"', form).group(1)
        assert _money(amount) == _money(rows[0][5]) and _text(form, "current-balance") == "USD 70,000.00"
        data = {"csrf": csrf_of(form), "key": key_of(form), "amount": amount}
        r1 = await c.post(f"/portal/loans/{lid}/repay", data=data)
        r2 = await c.post(f"/portal/loans/{lid}/repay", data=data)
        assert r1.status_code == r2.status_code == 303 and r1.headers["location"] == f"/portal/loans/{lid}"
        assert await _count(app, financing_loan_repayments, loan_id=uuid.UUID(lid)) == 1
        # the same key with another amount is refused, nothing posted
        r3 = await c.post(f"/portal/loans/{lid}/repay", data={**data, "amount": "1.00"})
        assert r3.status_code == 303 and r3.headers["location"] == f"/portal/loans/{lid}/repay"
        assert await _count(app, financing_loan_repayments, loan_id=uuid.UUID(lid)) == 1
        page = (await c.get(f"/portal/loans/{lid}")).text
        left = Decimal("70350.00") - _money(amount)
        assert _text(page, "outstanding") == f"USD {left:,.2f}"
        statement = re.findall(r'<td class="num">([\d,.]+)</td></tr>', page.split('id="statement-table"')[1])
        assert [_money(x) for x in statement][-1] == left  # the running balance ends at what is owed
        form = (await c.get(f"/portal/loans/{lid}/repay")).text
        assert _text(form, "current-balance") == f"USD {Decimal('70000.00') - _money(amount):,.2f}"
        # a long statement: the latest lines, read in batches, the running balance over all of them
        monkeypatch.setattr(portal, "PAGE_ROWS", 2)
        monkeypatch.setattr(portal, "STATEMENT_BATCH", 3)
        page = (await c.get(f"/portal/loans/{lid}")).text
        assert _text(page, "statement-earlier") == "The latest 2 postings; 2 earlier ones are not shown."
        tail = re.findall(r'<td class="num">([\d,.]+)</td></tr>', page.split('id="statement-table"')[1])
        assert len(tail) == 2 and _money(tail[-1]) == left
        monkeypatch.undo()
        # more than the loan owes: the form again with the refusal, nothing posted
        form = (await c.get(f"/portal/loans/{lid}/repay")).text
        r = await c.post(f"/portal/loans/{lid}/repay", data={"csrf": csrf_of(form), "key": key_of(form), "amount": "999999.00"})
        assert r.status_code == 303 and r.headers["location"] == f"/portal/loans/{lid}/repay"
        assert "exceeds what the loan owes" in _flash((await c.get(r.headers["location"])).text)
        assert await _count(app, financing_loan_repayments, loan_id=uuid.UUID(lid)) == 1
        # documents: the printable offer and the schedule as CSV with a byte-order mark
        docs = (await c.get("/portal/documents")).text
        assert f'href="/portal/loans/{lid}/offer"' in docs and f'href="/portal/loans/{lid}/schedule.csv"' in docs
        printable = await c.get(f"/portal/loans/{lid}/offer")
        assert printable.status_code == 200 and _text(printable.text, "offer-total") == _text(page, "offer-total")
        sheet = await c.get(f"/portal/loans/{lid}/schedule.csv")
        assert sheet.content.startswith(b"\xef\xbb\xbf") and sheet.headers["content-type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
        assert table[0] == ["No.", "Due date", "Currency", "Principal", "Interest", "Fee", "Total", "Paid", "Status"] and [r[0] for r in table[1:]] == ["1", "2", "3"]


def _money(text: str) -> Decimal:
    return Decimal(text.removeprefix("USD ").replace(",", ""))


async def test_staff_are_refused_and_api_tokens_open_no_page(app, shop, client_api=None):
    async with client_for(app) as c:
        r = await login(c, shop.code, "mei")
        assert r.status_code == 403 and _text(r.text, "error-title") == "The portal is for SME users"
        assert "finance console" in _text(r.text, "error-detail")
        assert not any(h.startswith(f"{SESSION_COOKIE}=") for h in r.headers.get_list("set-cookie"))
        assert (await c.get("/portal/loans")).status_code == 303
        r = await login(c, shop.code, "sme1", "wrong password!!")
        assert r.status_code == 401 and "wrong password" in _text(r.text, "login-error")
        # a portal session is not an API token, nor a console session
        await login(c, shop.code, "sme1")
        token = c.cookies.get(SESSION_COOKIE)
        api = await c.get("/v1/sme/loans", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 401
        c.cookies.set("xb_console", token, domain="xborder.test", path="/console")
        assert (await c.get("/console/dashboard")).status_code in (303, 403)
        # sign out needs the CSRF token
        assert (await c.post("/portal/logout", data={})).status_code == 403
        r = await c.post("/portal/logout", data={"csrf": csrf_of((await c.get("/portal/loans")).text)})
        assert r.status_code == 303 and r.headers["location"] == "/portal/login?reason=logged_out"
        assert (await c.get("/portal/loans")).status_code == 303


async def test_another_merchants_loan_is_a_404_page_and_forms_need_their_tokens(app, shop):
    async with client_for(app) as c1, client_for(app) as c2:
        await login(c1, shop.code, "sme1")
        _data, r = await _apply(c1, shop, orders=5)
        lid = r.headers["location"].removeprefix("/portal/loans/")
        await decide_and_offer(app, shop, uuid.UUID(lid), "17500.00")
        await login(c2, shop.code, "sme2")
        page = (await c2.get("/portal/loans")).text
        assert lid not in page and 'id="no-loans"' in page
        for url in (f"/portal/loans/{lid}", f"/portal/loans/{lid}/repay", f"/portal/loans/{lid}/offer", f"/portal/loans/{lid}/schedule.csv", f"/portal/loans/{uuid.uuid4()}", "/portal/loans/not-a-uuid"):
            r = await c2.get(url)
            assert r.status_code == 404 and _text(r.text, "error-title") == "Not found", url
            assert lid not in r.text.replace(url, "") and "70,000" not in r.text and "Shenzhen" not in r.text
        csrf2 = csrf_of((await c2.get("/portal/loans")).text)
        for step in ("accept", "decline"):
            r = await c2.post(f"/portal/loans/{lid}/{step}", data={"csrf": csrf2})
            assert r.status_code == 404
        r = await c2.post(f"/portal/loans/{lid}/repay", data={"csrf": csrf2, "key": "k-1", "amount": "1.00"})
        assert r.status_code == 404
        assert (await c2.get("/portal/assets")).text.count('class="asset"') == 0  # SME2 has no orders
        # SME1's forms without their CSRF token (or with SME2's) change nothing
        r = await c1.post(f"/portal/loans/{lid}/decline", data={"csrf": csrf2})
        assert r.status_code == 403 and _text(r.text, "error-title") == "Form expired"
        page = (await c1.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "offered"
        # declining through the form
        r = await c1.post(f"/portal/loans/{lid}/decline", data={"csrf": csrf_of(page)})
        assert r.status_code == 303
        page = (await c1.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "offer_declined" and _flash(page) == "You declined the offer." and 'id="accept"' not in page


async def test_a_declined_application_reads_its_reasons_in_chinese(app, shop):
    async with client_for(app, lang=None) as c:
        r = await login(c, shop.code, "sme2")  # SME2: no sales history, underwriting declines
        page = (await c.get("/portal/apply")).text
        assert '<html lang="zh-CN">' in page and "<h1>申请融资</h1>" in page
        r = await c.post("/portal/apply", data={"csrf": csrf_of(page), "key": key_of(page), "product": str(shop.product_id), "amount": "30000.00", "tenor": "90"})
        assert r.status_code == 303
        page = (await c.get(r.headers["location"])).text
        assert _text(page, "loan-status") == "已拒绝" and _text(page, "decision-result") == "未获批准"
        reasons = re.findall(r'<div class="reason" id="reason-(\w+)"><p>([^<]+)</p>', page)
        assert reasons and all(re.search(r"[\u4e00-\u9fff]", text) for _code, text in reasons)
        assert "改变结果的办法：" in page
        # a bad amount: the form again with the refusal, nothing applied
        form = (await c.get("/portal/apply")).text
        r = await c.post("/portal/apply", data={"csrf": csrf_of(form), "key": key_of(form), "product": str(shop.product_id), "amount": "12.345", "tenor": "90"})
        assert r.status_code == 422 and _text(r.text, "apply-error")
        assert await _count(app, financing_loans, institution_id=shop.institution_id) == 1
        # the English switch, kept on the portal's path
        r = await c.get("/portal/lang/en", headers={"referer": "http://xborder.test/portal/apply"})
        assert r.status_code == 303 and r.headers["location"] == "/portal/apply"
        assert "path=/portal" in next(h for h in r.headers.get_list("set-cookie") if h.startswith("xb_console_lang=en")).lower()
        assert "<h1>Apply for financing</h1>" in (await c.get("/portal/apply")).text


async def test_an_sme_user_whose_merchant_is_not_a_customer_reads_why(app, shop):
    async with app.state.ctx.engine.begin() as conn:
        from api.auth import create_user
        from tests.portal.conftest import PASSWORD

        await create_user(conn, shop.institution_id, "ghost", PASSWORD, "sme", merchant_ref="NOPE")
    async with client_for(app) as c:
        assert (await login(c, shop.code, "ghost")).status_code == 303
        r = await c.get("/portal/loans")
        assert r.status_code == 403 and _text(r.text, "error-title") == "Not a customer"
