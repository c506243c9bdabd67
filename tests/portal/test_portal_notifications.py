"""The SME's notifications in the portal (#17 items 5 and 6): the notices the
lifecycle rules record (offer ready, payment due, overdue, margin call) as
sentences with the figures, newest first, the caller's merchant only, in
Chinese by default."""

from __future__ import annotations

import html as html_lib
import re
import uuid
from datetime import date

from financing import notices
from tests.portal.conftest import client_for, decide_and_offer, login
from tests.portal.test_portal_pages import _apply


def _rows(page: str) -> list[tuple[str, str]]:
    """(kind, text) of each notice row, in page order."""
    out = []
    for kind, body in re.findall(r'<tr id="notice-[^"]+" class="notice notice-([a-z-_]+)">(.*?)</tr>', page, re.S):
        out.append((kind, html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", body)).strip()))
    return out


async def test_an_sme_reads_its_own_notices_with_their_figures(app, shop):
    ctx = app.state.ctx
    async with client_for(app) as c:
        await login(c, shop.code, "sme1")
        assert 'id="no-notifications"' in (await c.get("/portal/notifications")).text
        _data, r = await _apply(c, shop, orders=5)
        lid = uuid.UUID(r.headers["location"].removeprefix("/portal/loans/"))
        await decide_and_offer(app, shop, lid, "17500.00")  # the offer emits sme.offer_ready
        async with ctx.engine.begin() as conn:
            await notices.overdue(conn, shop.institution_id, lid, shop.merchants["SME1"], "USD", 3, "1-30", date(2027, 3, 4), 1_234_567)
            await notices.margin_call(conn, shop.institution_id, shop.merchants["SME1"], str(lid), {
                "id": str(uuid.uuid4()), "cure_by": "2027-03-10", "currency": "USD", "shortfall": "2500.00", "ltv": "0.7500",
            })
            # the other merchant's notice
            await notices.overdue(conn, shop.institution_id, uuid.uuid4(), shop.merchants["SME2"], "USD", 9, "1-30", date(2027, 3, 4), 999_00)
            # recorded twice: shown once
            assert not await notices.overdue(conn, shop.institution_id, lid, shop.merchants["SME1"], "USD", 3, "1-30", date(2027, 3, 4), 1_234_567)
        page = (await c.get("/portal/notifications")).text
        rows = _rows(page)
        assert [k for k, _ in rows] == ["sme-margin_call", "sme-overdue", "sme-offer_ready"]  # newest first
        short = str(lid)[-8:]
        assert f"Margin call on loan {short}: the collateral no longer covers the loan; add collateral or repay USD 2,500.00 by 2027-03-10." in rows[0][1]
        assert f"Loan {short} is overdue: 3 day(s) past due, USD 12,345.67 owed as of 2027-03-04." in rows[1][1]
        assert f"Your offer for loan {short} is ready: principal USD 17,500.00" in rows[2][1] and "annualized cost" in rows[2][1]
        assert page.count(f'href="/portal/loans/{lid}"') >= 3
    async with client_for(app, lang=None) as zh:
        await login(zh, shop.code, "sme1")
        rows = _rows((await zh.get("/portal/notifications")).text)
        assert f"逾期提醒：贷款 {short} 已逾期 3 天" in rows[1][1]
        assert "12,345.67" in rows[1][1] and "%(" not in " ".join(t for _, t in rows)
    async with client_for(app) as other:
        await login(other, shop.code, "sme2")
        rows = _rows((await other.get("/portal/notifications")).text)
        assert [k for k, _ in rows] == ["sme-overdue"] and "USD 999.00" in rows[0][1] and short not in rows[0][1]
