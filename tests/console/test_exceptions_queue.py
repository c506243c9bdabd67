"""The exceptions queue at scale (issue #16 item 3), over HTTP on both
databases: search (reference, counterparty, amount), filters (account, side,
direction, amount range, age bucket, value dates), sort, pages, saved views,
bulk proposals and bulk approval; a clerk's bad filter is a message, not an
error; the same filters on the API."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

from api.routers.console_queue import PER_PAGE, pair_by_amount
from ledger.model import NewTransaction, Posting
from recon import model as M
from recon import service as RS
from tests.console.conftest import NOSTRO, business_today, client_for, csrf_of, login

#: extra statement lines: 60 small receipts (1.00 .. 60.00 USD) from a Chinese counterparty, 12 days old
SMALL = 60


def _flash(page: str) -> str:
    m = re.search(r'id="flash">([^<]*)<', page)
    return html_lib.unescape(m.group(1)) if m else ""


def _line_ids(page: str) -> list[str]:
    return re.findall(r'name="line_ids" value="([^"]+)"', page)


def _entry_ids(page: str) -> list[str]:
    return re.findall(r'name="entry_ids" value="([^"]+)"', page)


def _amounts(page: str) -> list[str]:
    return re.findall(r'<td class="num">([-0-9,.]+) USD</td>', page)


async def _import(app, world, entries: list[M.StatementEntry], statement_id: str) -> None:
    total = sum(e.amount_minor for e in entries)
    events = [
        M.StatementHeader(format="camt.053", statement_id=statement_id, account=NOSTRO, currency="USD", opening_balance_minor=0),
        *entries, M.StatementFooter(closing_balance_minor=total, entry_count=len(entries)),
    ]
    await app.state.ctx.recon.import_events(world.institution_id, events, filename=f"{statement_id}.xml", actor="operator")


async def _small_lines(app, world) -> None:
    day = business_today() - timedelta(days=12)
    await _import(app, world, [
        M.StatementEntry(index=n, amount_minor=(n + 1) * 100, currency="USD", booking_date=day, value_date=day, end_to_end_ref=f"SMALL-{n + 1:03d}",
                         description=f"small receipt {n + 1}", counterparty_name="杭州跨境贸易有限公司" if n % 2 else "Hamburg Trading GmbH", position=f"line {n + 1}")
        for n in range(SMALL)
    ], "STMT-SMALL")


async def _entry(app, world, amount_minor: int, days_ago: int, ref: str) -> str:
    L = app.state.ctx.ledger
    nostro, other = world.accounts["nostro_usd"], world.accounts["clients_usd"]
    legs = [Posting(nostro, abs(amount_minor), "debit" if amount_minor > 0 else "credit"), Posting(other, abs(amount_minor), "credit" if amount_minor > 0 else "debit")]
    res = await L.post(world.institution_id, NewTransaction(world.ledger_id, legs, idempotency_key=f"e-{ref}", effective_date=business_today() - timedelta(days=days_ago),
                                                            description=f"entry {ref}", metadata={"reference": ref}))
    tx = await L.get_transaction(world.institution_id, res.transaction_id)
    return next(f"{tx.id}:{p.line_no}" for p in tx.postings if p.account_id == nostro)


async def test_search_filters_sort_and_pages(app, world):
    await _small_lines(app, world)
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        page = (await c.get("/console/exceptions")).text
        # 60 small lines + the seeded line + the seeded entry; 50 a page, oldest first
        assert f"{SMALL + 2} item(s); page 1 of 2." in page and len(_line_ids(page)) + len(_entry_ids(page)) == PER_PAGE
        page2 = (await c.get("/console/exceptions?page=2")).text
        assert f"{SMALL + 2} item(s); page 2 of 2." in page2 and len(_line_ids(page2)) + len(_entry_ids(page2)) == SMALL + 2 - PER_PAGE
        assert not set(_line_ids(page)) & set(_line_ids(page2)) and world.line_id in _line_ids(page2)  # the newest (2 days) comes last
        # search: the bank's reference, the counterparty (Chinese), an amount with separators (the line and the entry)
        assert _line_ids((await c.get("/console/exceptions", params={"q": "bank-xyz"})).text) == [world.line_id]
        found = (await c.get("/console/exceptions", params={"q": "杭州跨境"})).text
        assert len(_line_ids(found)) == SMALL // 2 and not _entry_ids(found) and "杭州跨境贸易有限公司" in found
        found = (await c.get("/console/exceptions", params={"q": "1,234.56"})).text
        assert _line_ids(found) == [world.line_id] and _entry_ids(found) == [world.entry_id]
        # amount range (absolute, in USD), side, age bucket, value dates, sort descending
        found = (await c.get("/console/exceptions", params={"amount_min": "10", "amount_max": "20.00", "sort": "amount", "order": "desc"})).text
        assert _amounts(found) == [f"{n}.00" for n in range(20, 9, -1)]
        assert _entry_ids((await c.get("/console/exceptions", params={"side": "entry"})).text) == [world.entry_id]
        assert not _line_ids((await c.get("/console/exceptions", params={"side": "entry"})).text)
        aged = (await c.get("/console/exceptions", params={"age": "8-30"})).text  # the 12-day lines and the 22-day entry
        assert f"{SMALL + 1} item(s); page 1 of 2." in aged and world.line_id not in _line_ids(aged)
        day = (business_today() - timedelta(days=2)).isoformat()
        assert _line_ids((await c.get("/console/exceptions", params={"value_from": day, "value_to": day})).text) == [world.line_id]
        assert not _line_ids((await c.get("/console/exceptions", params={"direction": "out"})).text)
        # the next-page link keeps the filters
        nxt = re.search(r'id="next-page" rel="next" href="([^"]+)"|href="([^"]+)" id="next-page"', page)
        assert nxt and "page=2" in html_lib.unescape(nxt.group(1) or nxt.group(2))


async def test_a_filter_a_clerk_mistyped_is_a_message_and_the_rest_applies(app, world):
    await _small_lines(app, world)
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        r = await c.get("/console/exceptions", params={"value_from": "0", "amount_min": "-5", "age": "old", "account": "not-an-id", "amount_max": "3", "page": "999999999"})
        assert r.status_code == 200
        problems = re.search(r'id="filter-problems">(.*?)</div>', r.text, re.S).group(1)
        for text in ("Value date from: enter a date as YYYY-MM-DD", "Smallest amount: enter an amount", "age: choose one of 0-1, 2-7, 8-30, 31+", "Account: choose an account"):
            assert text in html_lib.unescape(problems), problems
        assert _amounts(r.text) == ["1.00", "2.00", "3.00"]  # amount_max still applies; the page number is clamped
        # a range upside down: said, and dropped
        r = await c.get("/console/exceptions", params={"amount_min": "30", "amount_max": "3"})
        assert "amount_min is above amount_max" in r.text and len(_line_ids(r.text)) + len(_entry_ids(r.text)) == PER_PAGE
        # another institution's recon account: not shown, said
        r = await c.get("/console/exceptions", params={"account": str(uuid4())})
        assert "Account: choose an account from the list" in r.text


async def test_saved_views_are_per_user_and_replace_by_name(app, world):
    async with client_for(app) as mei, client_for(app) as fang:
        await login(mei, world.code, "mei")
        await login(fang, world.code, "fang")
        page = (await mei.get("/console/exceptions", params={"age": "8-30", "sort": "amount"})).text
        assert 'name="view_query" value="age=8-30&amp;sort=amount"' in page
        r = await mei.post("/console/exceptions/views", data={"csrf": csrf_of(page), "view_name": "  old   items ", "view_query": "age=8-30&sort=amount&page=3"})
        assert r.status_code == 303 and r.headers["location"] == "/console/exceptions?age=8-30&sort=amount"
        page = (await mei.get("/console/exceptions")).text
        assert "View old items saved." in _flash(page)
        assert '<a href="/console/exceptions?age=8-30&amp;sort=amount" class="saved-view">old items</a>' in page
        # the same name again replaces it (a bad value in it is dropped)
        await mei.post("/console/exceptions/views", data={"csrf": csrf_of(page), "view_name": "old items", "view_query": "age=31%2B&direction=sideways"})
        page = (await mei.get("/console/exceptions")).text
        assert page.count('class="saved-view"') == 1 and 'href="/console/exceptions?age=31%2B"' in page
        # another user does not see it, and cannot delete it
        other = (await fang.get("/console/exceptions")).text
        assert 'class="saved-view"' not in other
        await fang.post("/console/exceptions/views/delete", data={"csrf": csrf_of(other), "view_name": "old items"})
        assert "There is no saved view old items." in _flash((await fang.get("/console/exceptions")).text)
        # no name: refused; the 21st view: refused
        await mei.post("/console/exceptions/views", data={"csrf": csrf_of(page), "view_name": "   ", "view_query": ""})
        assert "Give the view a name." in _flash((await mei.get("/console/exceptions")).text)
        for n in range(19):
            await mei.post("/console/exceptions/views", data={"csrf": csrf_of(page), "view_name": f"v{n:02d}", "view_query": f"q=x{n}"})
        r = await mei.post("/console/exceptions/views", data={"csrf": csrf_of(page), "view_name": "one too many", "view_query": ""})
        assert "You have 20 saved views already" in _flash((await mei.get("/console/exceptions")).text)
        page = (await mei.get("/console/exceptions")).text
        assert page.count('class="saved-view"') == 20
        await mei.post("/console/exceptions/views/delete", data={"csrf": csrf_of(page), "view_name": "old items"})
        page = (await mei.get("/console/exceptions")).text
        assert "View old items deleted." in _flash(page) and page.count('class="saved-view"') == 19
        # without the CSRF token nothing is saved
        r = await mei.post("/console/exceptions/views", data={"view_name": "sneaky", "view_query": ""})
        assert r.status_code == 403 and "sneaky" not in (await mei.get("/console/exceptions")).text


async def test_bulk_match_pairs_same_amounts_and_bulk_approve_checks_each(app, world):
    recon = app.state.ctx.recon
    day = business_today() - timedelta(days=1)
    await _import(app, world, [
        M.StatementEntry(index=n, amount_minor=a, currency="USD", booking_date=day, value_date=day, end_to_end_ref=f"B-{n}", description="bulk", position=f"line {n}")
        for n, a in enumerate((50_000, 50_000, 70_000))
    ], "STMT-BULK")
    entries = [await _entry(app, world, a, 30, f"ours-{n}") for n, a in enumerate((50_000, 70_000, 50_000, 90_000))]
    async with client_for(app) as mei:
        await login(mei, world.code, "mei")
        page = (await mei.get("/console/exceptions", params={"q": "bulk"})).text
        lines = _line_ids(page)
        assert len(lines) == 3
        # the 900.00 entry has no partner: nothing is proposed
        r = await mei.post("/console/exceptions/bulk-match", data={"csrf": csrf_of(page), "line_ids": lines, "entry_ids": entries, "return_query": "q=bulk"})
        assert r.status_code == 303 and r.headers["location"] == "/console/exceptions?q=bulk"
        assert "Nothing proposed: 1 selected item(s) have no partner" in _flash((await mei.get("/console/exceptions")).text)
        assert await recon.proposals(world.institution_id, status="pending") == []
        r = await mei.post("/console/exceptions/bulk-match", data={"csrf": csrf_of(page), "line_ids": lines, "entry_ids": entries[:3]})
        assert "3 proposal(s) made; each awaits a second approver." in _flash((await mei.get("/console/exceptions")).text)
        pending = await recon.proposals(world.institution_id, status="pending")
        by_line = {p.line_ids[0]: p.entry_ids[0] for p in pending}
        items = {i.id: i for i in await recon.exceptions(world.institution_id, limit=1000)} | {}
        assert len(by_line) == 3 and sorted(by_line.values()) == sorted(entries[:3])
        assert all(p.kind == "manual_match" and len(p.line_ids) == len(p.entry_ids) == 1 for p in pending)
        assert set(items).isdisjoint(by_line) and entries[3] in items  # held by the proposals; the 900.00 entry still open
        # the maker cannot approve his own, in bulk either (four eyes, each checked)
        approvals = (await mei.get("/console/approvals")).text
        await mei.post("/console/approvals/bulk-approve", data={"csrf": csrf_of(approvals), "proposal_ids": [str(p.id) for p in pending]})
        text = _flash((await mei.get("/console/approvals")).text)
        assert text.startswith("0 proposal(s) approved. Refused:") and text.count("The checker is the maker") >= 1
    async with client_for(app) as chen:
        await login(chen, world.code, "chen")
        approvals = (await chen.get("/console/approvals")).text
        assert approvals.count('name="proposal_ids"') == 3
        ids = [str(p.id) for p in pending] + [str(uuid4()), "junk"]
        await chen.post("/console/approvals/bulk-approve", data={"csrf": csrf_of(approvals), "proposal_ids": ids})
        text = _flash((await chen.get("/console/approvals")).text)
        assert text.startswith("3 proposal(s) approved. Refused:") and text.count("Not found") == 2
    assert await recon.proposals(world.institution_id, status="pending") == []
    matched = {tuple(m["line_ids"]): m["entry_ids"] for m in await recon.matches(world.institution_id)}
    assert {k[0]: v[0] for k, v in matched.items()} == by_line


async def test_bulk_adjustment_makes_one_proposal_per_line_with_its_own_amount(app, world):
    recon = app.state.ctx.recon
    day = business_today() - timedelta(days=1)
    await _import(app, world, [
        M.StatementEntry(index=n, amount_minor=a, currency="USD", booking_date=day, value_date=day, end_to_end_ref=f"FEE-{n}", description="account fee", position=f"line {n}")
        for n, a in enumerate((-1_250, -700))
    ], "STMT-FEES")
    async with client_for(app) as mei:
        await login(mei, world.code, "mei")
        page = (await mei.get("/console/exceptions", params={"q": "account fee"})).text
        lines = _line_ids(page)
        assert len(lines) == 2 and _amounts(page) == ["-12.50", "-7.00"]
        r = await mei.post("/console/exceptions/bulk-adjust", data={"csrf": csrf_of(page), "line_ids": lines, "entry_ids": [world.entry_id]})
        assert "unselect the ledger entries" in _flash((await mei.get("/console/exceptions")).text)
        r = await mei.post("/console/exceptions/bulk-adjust", data={
            "csrf": csrf_of(page), "line_ids": lines, "adjustment_account": str(world.accounts["charges_usd"]), "adjustment_description": "bank charges November",
        })
        assert r.status_code == 303 and "2 proposal(s) made" in _flash((await mei.get("/console/exceptions")).text)
    pending = await recon.proposals(world.institution_id, status="pending")
    adj = sorted((p.payload["adjustment"]["amount_minor"], p.payload["adjustment"]["counter_account_id"], p.payload["adjustment"]["description"]) for p in pending)
    assert adj == [(-1_250, str(world.accounts["charges_usd"]), "bank charges November"), (-700, str(world.accounts["charges_usd"]), "bank charges November")]


def test_pairing_by_amount_is_one_to_one_and_prefers_the_closest_date():
    from datetime import date

    acct = uuid4()

    def item(side, id_, amount, d):
        return RS.ExceptionItem(side=side, id=id_, recon_account_id=acct, amount_minor=amount, currency="USD", value_date=d, reference=None, description="", age_days=0)

    lines = [item("line", "L1", 500, date(2026, 11, 10)), item("line", "L2", 500, date(2026, 11, 20))]
    entries = [item("entry", "E-far", 500, date(2026, 10, 20)), item("entry", "E-near", 500, date(2026, 11, 19)), item("entry", "E-jpy", 500, date(2026, 11, 19))]
    entries[2] = RS.ExceptionItem(**{**entries[2].__dict__, "currency": "JPY"})
    pairs, alone = pair_by_amount(lines, entries)
    # L2 and E-near are a day apart: they pair first, L1 takes E-far (not the greedy L1-E-near, L2-E-far: 40 days apart in all)
    assert pairs == [("L1", "E-far"), ("L2", "E-near")] and alone == ["E-jpy"]
    assert pair_by_amount(lines[:1], []) == ([], ["L1"])


def test_the_filter_refuses_what_it_cannot_mean():
    import pytest

    from api.routers.recon import exception_filter

    # the API's age choices are the service's buckets
    age = str(exception_filter.__annotations__["age"])
    assert re.findall(r"'([^']+)'", age.split("Query")[0]) == list(RS.AGE_BUCKET_RANGES)

    from ledger.errors import InvalidInput

    for bad in ({"direction": "up"}, {"age": "9-10"}, {"amount_min": Decimal("-1")}, {"amount_min": Decimal("NaN")},
                {"amount_min": Decimal(5), "amount_max": Decimal(4)}):
        with pytest.raises(InvalidInput):
            RS.ExceptionFilter(**bad)


async def test_the_api_filters_the_same_and_refuses_bad_values(app, world):
    """GET /v1/recon/exceptions takes the same filters (a finance user's bearer token)."""
    await _small_lines(app, world)
    async with client_for(app) as api:
        tok = (await api.post("/v1/auth/token", json={"institution": world.code, "username": "mei", "password": "correct horse battery"})).json()["access_token"]
        h = {"Authorization": f"Bearer {tok}"}
        r = await api.get("/v1/recon/exceptions", params={"q": "杭州", "amount_min": "50", "limit": 100}, headers=h)
        assert r.status_code == 200, r.text
        assert sorted(Decimal(i["amount"]) for i in r.json()["data"]) == [Decimal(n) for n in range(50, 61) if (n - 1) % 2]
        # the edge of the range: the largest bound the pattern admits still filters (nothing above it)
        r = await api.get("/v1/recon/exceptions", params={"amount_max": "999999999999999.9999", "limit": 1000}, headers=h)
        assert r.status_code == 200 and len(r.json()["data"]) == SMALL + 2
        for params, field in (({"amount_min": "1e3"}, "amount_min"), ({"amount_max": "-5"}, "amount_max"), ({"value_from": "0"}, "value_from"),
                              ({"age": "old"}, "age"), ({"direction": "up"}, "direction"), ({"amount_min": "9", "amount_max": "1"}, "amount_min"),
                              ({"amount_min": "１２"}, "amount_min"), ({"value_to": "2026-02-30"}, "value_to"), ({"amount_max": "1,000"}, "amount_max")):
            r = await api.get("/v1/recon/exceptions", params=params, headers=h)
            assert r.status_code == 422 and field in r.text, (params, r.text)


async def test_another_institutions_items_and_proposals_are_not_reachable_in_bulk(app, world, other_world):
    """A clerk of bank A sending bank B's line, entry and proposal ids: nothing
    proposed or approved, B's items untouched; a view name in another Unicode
    form is the same view (NFKC-insensitive names are not promised: the exact
    text is the key, spaces collapsed)."""
    recon = app.state.ctx.recon
    theirs = await recon.propose(other_world.institution_id, kind="manual_match", maker=RS.Actor(f"user:{uuid4()}", "b-clerk", frozenset({"finance"})), line_ids=[other_world.line_id],
                                 entry_ids=[other_world.entry_id], note="B's own")
    async with client_for(app) as mei:
        await login(mei, world.code, "mei")
        page = (await mei.get("/console/exceptions")).text
        await mei.post("/console/exceptions/bulk-match", data={"csrf": csrf_of(page), "line_ids": [other_world.line_id], "entry_ids": [other_world.entry_id]})
        assert "Select statement lines and the ledger entries of the same amounts." in _flash((await mei.get("/console/exceptions")).text)
        await mei.post("/console/exceptions/bulk-adjust", data={"csrf": csrf_of(page), "line_ids": [other_world.line_id]})
        assert "Select the statement line(s) the adjustment explains." in _flash((await mei.get("/console/exceptions")).text)
        assert await recon.proposals(world.institution_id) == []
    async with client_for(app) as chen:
        await login(chen, world.code, "chen")
        approvals = (await chen.get("/console/approvals")).text
        await chen.post("/console/approvals/bulk-approve", data={"csrf": csrf_of(approvals), "proposal_ids": [str(theirs.id)]})
        text = _flash((await chen.get("/console/approvals")).text)
        assert text.startswith("0 proposal(s) approved. Refused:") and "Not found" in text
    assert (await recon.get_proposal(other_world.institution_id, theirs.id)).status == "pending"
