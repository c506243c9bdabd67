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

from sqlalchemy import func, select

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


async def test_an_sme_walks_from_assets_to_a_repayment_made_once(app, shop):
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
        page = (await c.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "applied" and "The bank is reviewing your application." in page
        # staff decide (the limit: 70 % of USD 100,000.00) and offer
        await decide_and_offer(app, shop, uuid.UUID(lid), "70000.00")
        page = (await c.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "offered"
        assert _text(page, "offer-principal") == "USD 70,000.00" and _text(page, "offer-fee") == "USD 350.00"
        assert _text(page, "decision-result") == "Approved: limit USD 70,000.00"
        print("OFFER", _text(page, "offer-interest"), _text(page, "offer-total"), _text(page, "offer-apr"), _text(page, "disclosure"))
        assert _text(page, "disclosure").startswith("Principal USD 70,000.00, equal instalments, 3 instalments")
        r = await c.post(f"/portal/loans/{lid}/accept", data={"csrf": csrf_of(page)})
        assert r.status_code == 303 and "You accepted the offer." in _flash((await c.get(r.headers["location"])).text)
        await disburse(app, shop, uuid.UUID(lid))
        page = (await c.get(f"/portal/loans/{lid}")).text
        assert _text(page, "loan-status") == "active" and _text(page, "outstanding") == "USD 70,350.00"
        print("SCHED", [_cells(page, f"instalment-{n}") for n in (1, 2, 3)])
        # repay the next instalment from the current account; the double submit posts once
        form = (await c.get(f"/portal/loans/{lid}/repay")).text
        amount = re.search(r'id="amount" name="amount"[^>]*value="([^"]+)"', form).group(1)
        assert _text(form, "current-balance") == "USD 70,000.00"
        data = {"csrf": csrf_of(form), "key": key_of(form), "amount": amount}
        r1 = await c.post(f"/portal/loans/{lid}/repay", data=data)
        r2 = await c.post(f"/portal/loans/{lid}/repay", data=data)
        assert r1.status_code == r2.status_code == 303 and r1.headers["location"] == f"/portal/loans/{lid}"
        assert await _count(app, financing_loan_repayments, loan_id=uuid.UUID(lid)) == 1
        page = (await c.get(f"/portal/loans/{lid}")).text
        print("AFTER", amount, _text(page, "outstanding"), _cells(page, "instalment-1"), _text(page, "next-due"))
