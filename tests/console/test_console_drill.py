"""Drill-down and audit (#16 item 4): an entry's transaction page (postings
by account name, value date, recorded time, hash chain position and hash,
the statement line it matched, the proposal with its maker and approver);
another institution's transaction is 404; the audit trail for admins and
the read-only view for finance and approver users, filtered and paged."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta
from uuid import UUID

from ledger.events import record_audit
from tests.console.conftest import business_today, client_for, csrf_of, login


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def _row(html: str, element_id: str) -> str:
    m = re.search(rf'<tr id="{re.escape(element_id)}"[^>]*>(.*?)</tr>', html, re.S)
    assert m, f"no row {element_id}"
    return _visible(m.group(1))


async def _match_made_by_mei_approved_by_chen(app, world) -> UUID:
    async with client_for(app) as maker:
        await login(maker, world.code, "mei")
        page = (await maker.get("/console/exceptions")).text
        tx_id = world.entry_id.split(":")[0]
        assert f'href="/console/transactions/{tx_id}"' in page  # the entry links to its transaction
        r = await maker.post("/console/exceptions/propose", data={"csrf": csrf_of(page), "line_ids": world.line_id, "entry_ids": world.entry_id, "note": "same payment"})
        assert r.status_code == 303
    [proposal] = await app.state.ctx.recon.proposals(world.institution_id)
    async with client_for(app) as checker:
        await login(checker, world.code, "chen")
        page = (await checker.get("/console/approvals")).text
        assert (await checker.post(f"/console/approvals/{proposal.id}/approve", data={"csrf": csrf_of(page)})).status_code == 303
    return proposal.id


async def test_an_entry_drills_to_its_transaction_with_the_matched_line_and_both_people(app, world):
    proposal_id = await _match_made_by_mei_approved_by_chen(app, world)
    tx_id = UUID(world.entry_id.split(":")[0])
    tx = await app.state.ctx.ledger.get_transaction(world.institution_id, tx_id)
    async with client_for(app) as c:
        await login(c, world.code, "fang")  # any finance user reads it
        r = await c.get(f"/console/transactions/{tx_id}")
        assert r.status_code == 200, r.text
        page = r.text
        assert _visible(page).count("incoming payment, order batch 7") == 1 and "OUR-REF-7781" in page
        assert _row(page, "posting-0").split() == ["0", "nostro_usd", "·", "USD", "1,234.56", "USD"]
        assert _row(page, "posting-1").split() == ["1", "clients_usd", "·", "USD", "1,234.56", "USD"]
        assert f'title="nostro_usd · {world.accounts["nostro_usd"]}"' in html_lib.unescape(page)  # the id on hover
        assert _visible(page).count(str(world.accounts["nostro_usd"])) == 0
        assert re.search(r'id="tx-value-date">([^<]*)<', page).group(1) == (business_today() - timedelta(days=22)).isoformat()
        assert re.search(r'id="tx-recorded-at">(\d{4}-\d\d-\d\d \d\d:\d\d)<', page)  # China time to the minute
        assert re.search(r'id="tx-seq">(\d+)<', page).group(1) == str(tx.seq)
        assert re.search(r'id="tx-hash">([0-9a-f]{64})<', page).group(1) == tx.hash
        line = _row(page, f"matched-line-{world.line_id}")
        assert "1,234.56 USD" in line and "BANK-XYZ-001" in line and "con-bank-STMT-1" in line and "manual" in line
        assert "CREDIT TRANSFER PACIFIC IMPORTERS" in line  # the line's text decrypted for the staff
        proposal = _row(page, f"tx-proposal-{proposal_id}")
        assert "mei" in proposal and "chen" in proposal and "approved" in proposal and "same payment" in proposal
        assert re.search(r'<td class="maker">mei</td>', page) and re.search(r'<td class="approver">chen</td>', page)
    async with client_for(app, lang=None) as zh:  # in Chinese, the default
        await login(zh, world.code, "fang")
        page = (await zh.get(f"/console/transactions/{tx_id}")).text
        assert "<h2 id=\"postings-h\">分录</h2>" in page and "哈希链位置" in page and "已匹配的对账单行" in page


async def test_the_statement_drills_on_to_the_transaction_and_an_adjustment_shows_who_posted_it(app, world):
    recon = app.state.ctx.recon
    async with client_for(app) as maker:
        await login(maker, world.code, "mei")
        page = (await maker.get("/console/exceptions")).text
        await maker.post("/console/exceptions/adjust", data={"csrf": csrf_of(page), "line_ids": world.line_id, "adjustment_account": "suspense_usd",
                                                            "adjustment_description": "unidentified receipt"})
    [proposal] = await recon.proposals(world.institution_id)
    async with client_for(app) as checker:
        await login(checker, world.code, "chen")
        await checker.post(f"/console/approvals/{proposal.id}/approve", data={"csrf": csrf_of((await checker.get("/console/approvals")).text)})
        done = await recon.get_proposal(world.institution_id, proposal.id)
        statement = (await checker.get(f"/console/reports/account_statement?run=1&account_id={world.accounts['suspense_usd']}")).text
        assert f'href="/console/transactions/{done.transaction_id}"' in statement
        page = (await checker.get(f"/console/transactions/{done.transaction_id}")).text
        row = _row(page, f"tx-proposal-{proposal.id}")
        assert "adjustment" in row and "mei" in row and "chen" in row
        assert "suspense_usd · USD" in _row(page, "posting-1") or "suspense_usd · USD" in _row(page, "posting-0")


async def test_another_institutions_transaction_and_a_malformed_id_are_not_found(app, world, other_world):
    foreign = other_world.entry_id.split(":")[0]
    async with client_for(app) as c:
        await login(c, world.code, "ada")
        for tid in (foreign, "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
            r = await c.get(f"/console/transactions/{tid}")
            assert r.status_code == 404 and "Traceback" not in r.text and "incoming payment" not in r.text, tid
        assert (await c.get(f"/console/transactions/{world.entry_id.split(':')[0]}")).status_code == 200
    async with client_for(app) as anonymous:
        r = await anonymous.get(f"/console/transactions/{world.entry_id.split(':')[0]}")
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login")


async def test_the_audit_trail_is_whole_for_admins_and_read_only_without_security_actions_for_finance(app, world, other_world):
    proposal_id = await _match_made_by_mei_approved_by_chen(app, world)
    async with client_for(app) as admin:
        await login(admin, world.code, "ada")
        page = (await admin.get("/console/audit")).text
        seen = _visible(page)
        assert "auth.login" in seen and "recon.proposal_created" in seen and "recon.proposal_approved" in seen
        assert "<details>" in page  # what changed, for admins
        # filters: by user, by action (a prefix), by object, by China date
        mine = _visible((await admin.get("/console/audit", params={"user": "chen"})).text)
        assert "recon.proposal_approved" in mine and "recon.proposal_created" not in mine
        assert "auth.login" in mine  # chen's login (the actor id of a login is the bare user id)
        only = (await admin.get("/console/audit", params={"action": "recon.proposal"})).text
        assert set(re.findall(r"<td>(recon\.[a-z_.]+)</td>", only)) == {"recon.proposal_created", "recon.proposal_approved"}
        by_object = (await admin.get("/console/audit", params={"object": str(proposal_id)})).text
        assert len(re.findall(r'<tr id="audit-', by_object)) == 2
        today = business_today()
        assert "No audit entries match." in (await admin.get("/console/audit", params={"date_from": (today + timedelta(days=1)).isoformat()})).text
        assert "recon.proposal_created" in (await admin.get("/console/audit", params={"date_from": today.isoformat(), "date_to": today.isoformat()})).text
        r = await admin.get("/console/audit", params={"date_from": "31/12/2026"})
        assert r.status_code == 422 and "expected a date YYYY-MM-DD" in r.text
        assert "No audit entries match." in (await admin.get("/console/audit", params={"user": "nobody"})).text
        # another institution's entries never show
        assert "other-bank" not in seen and str(other_world.institution_id) not in page
    async with client_for(app) as finance:
        await login(finance, world.code, "mei")
        page = (await finance.get("/console/audit")).text
        seen = _visible(page)
        assert 'id="audit-readonly"' in page and "recon.proposal_created" in seen
        assert "auth.login" not in seen and "<details>" not in page and "<form method=\"post\"" not in page.split("</header>", 1)[1]
        assert "auth.login" not in _visible((await finance.get("/console/audit", params={"action": "auth."})).text)


async def test_the_audit_trail_pages_fifty_at_a_time_newest_first(app, world):
    async with app.state.ctx.engine.begin() as conn:
        for i in range(60):
            await record_audit(conn, institution_id=world.institution_id, actor_type="system", actor_id="system", action="test.step", object_type="thing", object_id=f"n{i:02d}")
    async with client_for(app) as c:
        await login(c, world.code, "chen")
        first = (await c.get("/console/audit", params={"action": "test."})).text
        objects = re.findall(r'<code title="(n\d\d)">', first)
        assert objects == [f"n{i:02d}" for i in range(59, 9, -1)]
        older = html_lib.unescape(re.search(r'<a href="([^"]+)" id="audit-older"', first).group(1))
        assert "action=test." in older
        second = (await c.get(older)).text
        assert re.findall(r'<code title="(n\d\d)">', second) == [f"n{i:02d}" for i in range(9, -1, -1)]
        assert 'id="audit-older"' not in second and 'id="audit-newest"' in second
