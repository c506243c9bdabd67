"""The console over HTTP (httpx on the ASGI app, both databases): login and
its cookie, CSRF on every form, roles, each page renders, maker-checker
through the forms, reports as tables and CSV, errors as pages."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from datetime import timedelta

from api.routers.console import CONSOLE_ROLES, SESSION_COOKIE
from tests.console.conftest import LINE_AMOUNT, PASSWORD, RECEIPTS, business_today, client_for, csrf_of, login

PAGES = ["/console/dashboard", "/console/exceptions", "/console/approvals", "/console/statements", "/console/reports", "/console/reports/trial_balance"]


def _sets_session(r) -> bool:
    return any(h.startswith(f"{SESSION_COOKIE}=") for h in r.headers.get_list("set-cookie"))


def _flash(html: str) -> str:
    m = re.search(r'id="flash">([^<]*)<', html)
    return html_lib.unescape(m.group(1)) if m else ""


def _text(html: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", m.group(1)).strip()) if m else ""


async def test_login_sets_an_httponly_strict_cookie_and_logout_clears_it(app, world):
    async with client_for(app) as c:
        r = await c.get("/console/dashboard")
        assert r.status_code == 303 and r.headers["location"] == "/console/login?reason=required"
        r = await login(c, world.code, "mei")
        assert r.status_code == 303 and r.headers["location"] == "/console/dashboard"
        cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}="))
        low = cookie.lower()
        assert "httponly" in low and "samesite=strict" in low and "path=/console" in low and "secure" not in low
        assert f"max-age={app.state.ctx.settings.token_ttl_seconds}" in low
        r = await c.get("/console/dashboard")
        assert r.status_code == 200
        assert "mei · finance · con-bank" in r.text
        assert r.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["cache-control"] == "no-store"
        # logout needs the CSRF token too
        r = await c.post("/console/logout", data={})
        assert r.status_code == 403 and "CSRF" in r.text
        r = await c.post("/console/logout", data={"csrf": csrf_of((await c.get("/console/dashboard")).text)})
        assert r.status_code == 303 and r.headers["location"] == "/console/login?reason=logged_out"
        assert any(h.startswith(f'{SESSION_COOKIE}=""') or "max-age=0" in h.lower() for h in r.headers.get_list("set-cookie"))
        r = await c.get("/console/login?reason=logged_out")
        assert "You have logged out." in r.text
        assert (await c.get("/console/dashboard")).status_code == 303


async def test_the_cookie_is_secure_over_https(app, world):
    async with client_for(app) as c:
        c.base_url = "https://xborder.test"
        r = await login(c, world.code, "mei")
        assert r.status_code == 303
        cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}="))
        assert "secure" in cookie.lower()


async def test_a_wrong_password_and_a_missing_login_token_are_refused_with_a_page(app, world):
    async with client_for(app) as c:
        r = await login(c, world.code, "mei", "wrong password!")
        assert r.status_code == 401 and "text/html" in r.headers["content-type"]
        assert "wrong password" in _text(r.text, "login-error") and not _sets_session(r)
        r = await login(c, "no-such-bank", "mei")
        assert r.status_code == 401
        # the login form's own CSRF token: a POST without it is refused
        r = await c.post("/console/login", data={"institution": world.code, "username": "mei", "password": PASSWORD})
        assert r.status_code == 403 and _text(r.text, "error-title") == "Form expired"
        assert not _sets_session(r)


async def test_sme_users_are_refused_with_a_clear_page_and_get_no_session(app, world):
    async with client_for(app) as c:
        r = await login(c, world.code, "shop")
        assert r.status_code == 403
        assert _text(r.text, "error-title") == "Not available for your role"
        assert "role 'sme' cannot use it" in _text(r.text, "error-detail")
        assert not _sets_session(r)
        # an SME token obtained from the API does not open the console either: an API
        # token is not a console session at all (back to the login page)
        tok = (await c.post("/v1/auth/token", json={"institution": world.code, "username": "shop", "password": PASSWORD})).json()["access_token"]
        c.cookies.set(SESSION_COOKIE, tok, domain="xborder.test", path="/console")
        for page in PAGES:
            r = await c.get(page)
            assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), page
            assert "Traceback" not in r.text
    assert set(CONSOLE_ROLES) == {"finance", "approver", "admin"}


async def test_an_expired_or_forged_session_goes_back_to_login_with_a_message(app, world):
    ctx = app.state.ctx
    async with client_for(app) as c:
        user = await _user_id(app, world, "mei")
        expired = ctx.keyring.sign_token({"sub": str(user), "inst": str(world.institution_id), "role": "finance"}, -5)
        c.cookies.set(SESSION_COOKIE, expired, domain="xborder.test", path="/console")
        r = await c.get("/console/exceptions")
        assert r.status_code == 303 and r.headers["location"] == "/console/login?reason=expired"
        r = await c.get(r.headers["location"])
        assert "Your session has expired" in _text(r.text, "login-message")
        c.cookies.set(SESSION_COOKIE, "xbt.forged.token", domain="xborder.test", path="/console")
        r = await c.post("/console/exceptions/propose", data={"csrf": "x"})
        assert r.status_code == 303 and r.headers["location"] == "/console/login?reason=expired"


async def _user_id(app, world, username):
    from sqlalchemy import select

    from api.schema import users

    async with app.state.ctx.engine.connect() as conn:
        return (await conn.execute(select(users.c.id).where(users.c.institution_id == world.institution_id, users.c.username == username))).scalar_one()


async def test_every_page_renders_for_every_staff_role(app, world):
    for user in ("mei", "chen", "ada"):
        async with client_for(app) as c:
            assert (await login(c, world.code, user)).status_code == 303
            for page in PAGES:
                r = await c.get(page)
                assert r.status_code == 200, (user, page, r.text[:500])
                assert r.headers["content-type"].startswith("text/html")
                assert "<!doctype html>" in r.text
            assert (await c.get("/console")).headers["location"] == "/console/dashboard"
            r = await c.get("/console/static/console.css")
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
            assert (await c.get("/console/static/console.js")).status_code == 200
            r = await c.get("/console/static/..%2Fconftest.py")
            assert r.status_code == 404
            r = await c.get("/console/no-such-page")
            assert r.status_code == 404 and _text(r.text, "error-title") == "Page not found"
            r = await c.post("/console/no-such-page", data={})
            assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


async def test_console_routes_stay_out_of_the_openapi_document(app):
    doc = app.openapi()
    assert not [p for p in doc["paths"] if p.startswith("/console")]


async def test_the_dashboard_charts_receipts_and_the_match_rate_with_tables(app, world):
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        html = (await c.get("/console/dashboard")).text
    today = business_today()
    # one SVG chart for USD: 30 bars, the receipts' days carry their amounts (minor units)
    chart = re.search(r'<figure class="chart-box" id="receipts-USD">(.*?)</figure>', html, re.S).group(1)
    bars = re.findall(r'<rect class="bar"[^>]*data-date="([0-9-]+)" data-value="([0-9.]+)"', chart)
    assert len(bars) == 30 and bars[-1][0] == today.isoformat()
    values = {d: int(v) for d, v in bars}
    assert values[today.isoformat()] == 1_000_000 + 250_075
    assert values[(today - timedelta(days=3)).isoformat()] == 500_000
    assert sum(values.values()) == sum(g for _, g, _ in RECEIPTS)
    assert "3 receipt(s), 17,500.75 USD gross" in html
    # the same figures in the table
    table = _text(html, "receipts-table").replace("\n", " ")
    assert re.search(rf"{today.isoformat()}</td><td>USD</td><td class=\"num\">2</td><td class=\"num\">12,500.75", html)
    assert re.search(rf"{(today - timedelta(days=3)).isoformat()}</td><td>USD</td><td class=\"num\">1</td><td class=\"num\">5,000.00", html)
    assert table is not None
    # the match rate: one line, unmatched -> 0.00 %; its day is in the chart and the table
    assert "Match rate: <strong>0.00%</strong>" in html and "(0 of 1 statement lines matched)" in html
    line_day = (today - timedelta(days=2)).isoformat()
    assert re.search(rf"<td>{line_day}</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0.00%</td>", html)
    assert 'id="match-rate-chart"' in html and "<svg" in html and "<script" not in html.split("</head>")[1]


async def test_a_post_without_the_csrf_token_changes_nothing(app, world):
    recon = app.state.ctx.recon
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        for data in ({}, {"csrf": "not-the-token"}):
            r = await c.post("/console/exceptions/propose", data={**data, "line_ids": world.line_id, "entry_ids": world.entry_id})
            assert r.status_code == 403 and _text(r.text, "error-title") == "Form expired"
        # another user's token does not fit this session
        async with client_for(app) as other:
            await login(other, world.code, "fang")
            foreign = csrf_of((await other.get("/console/exceptions")).text)
        r = await c.post("/console/exceptions/propose", data={"csrf": foreign, "line_ids": world.line_id, "entry_ids": world.entry_id})
        assert r.status_code == 403
    assert await recon.proposals(world.institution_id) == []


async def test_manual_match_needs_a_second_person_with_the_approver_role(app, world):
    recon = app.state.ctx.recon
    async with client_for(app) as maker:
        await login(maker, world.code, "mei")
        page = (await maker.get("/console/exceptions")).text
        assert f'value="{world.line_id}"' in page and f'value="{world.entry_id}"' in page
        assert "1,234.56 USD" in page and "BANK-XYZ-001" in page and "OUR-REF-7781" in page
        r = await maker.post("/console/exceptions/propose", data={"csrf": csrf_of(page), "line_ids": world.line_id, "entry_ids": world.entry_id, "note": "same payment"})
        assert r.status_code == 303 and r.headers["location"] == "/console/exceptions"
        page = (await maker.get("/console/exceptions")).text
        assert "Match proposed (1 statement line(s), 1 ledger entry(ies)); it awaits a second approver." in _flash(page)
        # the items wait in the proposal, not in the queue
        assert f'value="{world.line_id}"' not in page and f'value="{world.entry_id}"' not in page
        [proposal] = await recon.proposals(world.institution_id)
        assert proposal.maker_name == "mei" and proposal.note == "same payment"
        approvals = (await maker.get("/console/approvals")).text
        assert "Your proposal: awaiting a second approver." in approvals
        # the maker (finance) may not approve: refused, shown, nothing changed
        r = await maker.post(f"/console/approvals/{proposal.id}/approve", data={"csrf": csrf_of(approvals)})
        assert r.status_code == 303
        assert "The checker is the maker" in _flash((await maker.get("/console/approvals")).text)  # four eyes (api/sod.py)
        assert (await recon.get_proposal(world.institution_id, proposal.id)).status == "pending"
    async with client_for(app) as checker:
        await login(checker, world.code, "chen")
        approvals = (await checker.get("/console/approvals")).text
        assert f'id="proposal-{proposal.id}"' in approvals and "awaiting a second approver" not in approvals
        r = await checker.post(f"/console/approvals/{proposal.id}/approve", data={"csrf": csrf_of(approvals)})
        assert r.status_code == 303
        approvals = (await checker.get("/console/approvals")).text
        assert f"Proposal {proposal.id} approved." in _flash(approvals)
        assert "Nothing awaits approval." in approvals and f'id="decided-{proposal.id}"' in approvals
        page = (await checker.get("/console/exceptions")).text
        assert "No unmatched statement lines." in page and "No unmatched ledger entries." in page
        [match] = await recon.matches(world.institution_id)
        assert match["rule"] == "manual" and match["line_ids"] == [world.line_id] and match["entry_ids"] == [world.entry_id]
        assert f'id="match-{match["id"]}"' in page
        dash = (await checker.get("/console/dashboard")).text
        assert "Match rate: <strong>100.00%</strong>" in dash


async def test_an_approver_cannot_approve_their_own_proposal(app, world):
    recon = app.state.ctx.recon
    async with client_for(app) as c:
        await login(c, world.code, "chen")
        page = (await c.get("/console/exceptions")).text
        await c.post("/console/exceptions/propose", data={"csrf": csrf_of(page), "line_ids": world.line_id, "entry_ids": world.entry_id})
        [proposal] = await recon.proposals(world.institution_id)
        approvals = (await c.get("/console/approvals")).text
        assert "Your proposal: awaiting a second approver." in approvals
        r = await c.post(f"/console/approvals/{proposal.id}/approve", data={"csrf": csrf_of(approvals)})
        flash = _flash((await c.get("/console/approvals")).text)
        assert "The checker is the maker" in flash and "must be another person than its maker" in flash
        assert (await recon.get_proposal(world.institution_id, proposal.id)).status == "pending"
        # the maker may withdraw it
        r = await c.post(f"/console/approvals/{proposal.id}/reject", data={"csrf": csrf_of(approvals), "reason": "wrong line"})
        assert r.status_code == 303
        assert (await recon.get_proposal(world.institution_id, proposal.id)).status == "rejected"
        page = (await c.get("/console/exceptions")).text
        assert f'value="{world.line_id}"' in page


async def test_an_unbalanced_match_is_refused_with_the_numbers(app, world):
    from ledger.model import NewTransaction, Posting

    L = app.state.ctx.ledger
    res = await L.post(world.institution_id, NewTransaction(world.ledger_id, [Posting(world.accounts["nostro_usd"], 100, "debit"), Posting(world.accounts["clients_usd"], 100, "credit")], idempotency_key="small"))
    tx = await L.get_transaction(world.institution_id, res.transaction_id)
    small = next(f"{tx.id}:{p.line_no}" for p in tx.postings if p.account_id == world.accounts["nostro_usd"])
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        page = (await c.get("/console/exceptions")).text
        await c.post("/console/exceptions/propose", data={"csrf": csrf_of(page), "line_ids": world.line_id, "entry_ids": small})
        flash = _flash((await c.get("/console/exceptions")).text)
        assert flash == "Lines and entries do not add up: statement lines total 1234.56 but ledger entries 1.00 USD"
        await c.post("/console/exceptions/propose", data={"csrf": csrf_of(page), "line_ids": world.line_id})
        assert "Select at least one statement line and one ledger entry" in _flash((await c.get("/console/exceptions")).text)


async def test_an_adjustment_posts_only_when_approved(app, world):
    recon = app.state.ctx.recon
    L = app.state.ctx.ledger
    async with client_for(app) as maker:
        await login(maker, world.code, "mei")
        page = (await maker.get("/console/exceptions")).text
        r = await maker.post("/console/exceptions/adjust", data={
            "csrf": csrf_of(page), "line_ids": world.line_id, "adjustment_amount": "1234.56", "adjustment_description": "unidentified receipt to suspense",
        })
        assert r.status_code == 303
        assert "Adjustment of 1,234.56 USD proposed" in _flash((await maker.get("/console/exceptions")).text)
    assert (await L.get_account(world.institution_id, world.accounts["suspense_usd"])).posted == 0
    async with client_for(app) as checker:
        await login(checker, world.code, "chen")
        approvals = (await checker.get("/console/approvals")).text
        [proposal] = await recon.proposals(world.institution_id)
        # the counter account by its name, not its id
        assert "post 1,234.56 USD against account suspense_usd · USD" in html_lib.unescape(approvals)
        assert str(world.accounts["suspense_usd"]) not in approvals
        await checker.post(f"/console/approvals/{proposal.id}/approve", data={"csrf": csrf_of(approvals)})
    done = await recon.get_proposal(world.institution_id, proposal.id)
    assert done.status == "approved" and done.transaction_id is not None
    suspense = await L.get_account(world.institution_id, world.accounts["suspense_usd"])
    assert suspense.credits_posted == LINE_AMOUNT


async def test_another_institutions_proposal_is_not_found(app, world, other_world):
    recon = app.state.ctx.recon
    from recon.service import Actor

    theirs = await recon.propose(other_world.institution_id, kind="manual_match", maker=Actor(id="user:x", name="x", roles=frozenset({"finance"})),
                                 line_ids=[other_world.line_id], entry_ids=[other_world.entry_id])
    async with client_for(app) as c:
        await login(c, world.code, "chen")
        approvals = (await c.get("/console/approvals")).text
        assert str(theirs.id) not in approvals
        for action in ("approve", "reject"):
            r = await c.post(f"/console/approvals/{theirs.id}/{action}", data={"csrf": csrf_of(approvals)})
            assert r.status_code == 404 and _text(r.text, "error-title") == "Not found"
        r = await c.post("/console/approvals/not-a-uuid/approve", data={"csrf": csrf_of(approvals)})
        assert r.status_code == 404
        # their lines are not ours to propose
        await c.post("/console/exceptions/propose", data={"csrf": csrf_of(approvals), "line_ids": other_world.line_id, "entry_ids": world.entry_id})
        assert "Not found" in _flash((await c.get("/console/exceptions")).text)
    assert (await recon.get_proposal(other_world.institution_id, theirs.id)).status == "pending"


async def test_a_statement_upload_imports_and_matches(app, world):
    from recon.samples import SampleEntry, write_camt053

    today = business_today()
    buf = io.BytesIO()
    write_camt053(buf, account="US00NOSTRO0001", currency="USD", statement_id="UPLOAD-1", entries=[
        SampleEntry(amount_minor=-2_500, booking_date=today, value_date=today, end_to_end_ref="FEE-1", description="CHARGES"),
        SampleEntry(amount_minor=40_000, booking_date=today, value_date=today, end_to_end_ref="IN-2", description="ANOTHER CREDIT"),
    ])
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        page = (await c.get("/console/statements")).text
        r = await c.post("/console/statements", data={"csrf": csrf_of(page), "format": "", "match": "1"}, files={"file": ("upload.xml", buf.getvalue(), "application/xml")})
        assert r.status_code == 200, r.text
        rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td></tr>', r.text))
        assert rows["lines imported"] == "2" and rows["statements"] == "1" and rows["automatic matches"] == "0"
        assert "UPLOAD-1" in r.text
        # the same file again: skipped
        r = await c.post("/console/statements", data={"csrf": csrf_of(page), "format": ""}, files={"file": ("upload.xml", buf.getvalue(), "application/xml")})
        rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td></tr>', r.text))
        assert rows["lines imported"] == "0" and rows["statements already imported (skipped)"] == "1"
        # a broken file: refused with its position, nothing imported
        r = await c.post("/console/statements", data={"csrf": csrf_of(page)}, files={"file": ("bad.xml", b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'><BkToCstmrStmt>", "application/xml")})
        assert r.status_code == 303
        assert "Statement rejected" in _flash((await c.get("/console/statements")).text)
        page = (await c.get("/console/exceptions")).text
        assert "-25.00 USD" in page and "400.00 USD" in page


async def test_a_report_renders_as_a_table_and_downloads_as_csv(app, world):
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        r = await c.get("/console/reports")
        assert 'href="/console/reports/trial_balance"' in r.text
        r = await c.get("/console/reports/trial_balance?run=1&ledger=main")
        assert r.status_code == 200
        assert 'id="report-table"' in r.text and 'href="/console/reports/trial_balance/csv?ledger=main"' in r.text
        r = await c.get("/console/reports/trial_balance/csv?ledger=main")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert r.headers["content-disposition"] == f'attachment; filename="trial_balance-{business_today().isoformat()}.csv"'
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert rows, r.text
        # bad parameters: the form again, the field's error shown
        r = await c.get("/console/reports/trial_balance?run=1&as_of_date=yesterday")
        assert r.status_code == 422 and "expected a date YYYY-MM-DD" in r.text
        r = await c.get("/console/reports/no_such_report")
        assert r.status_code == 404 and _text(r.text, "error-title") == "No such report"


async def test_errors_are_pages_without_a_trace(app, world, monkeypatch):
    recon = app.state.ctx.recon

    async def boom(*a, **kw):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(recon, "exceptions", boom)
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        r = await c.get("/console/exceptions")
        assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
        assert _text(r.text, "error-title") == "Internal error"
        assert "secret internals" not in r.text and "Traceback" not in r.text


async def test_the_exceptions_queue_shows_a_partial_batch_with_its_matched_parts(app, world):
    """A batched credit of USD 600.00 in three parts: two mirror ledger
    entries (reference and amount), the third has none; the line stays in the
    queue with its parts, two of them naming their entry."""
    from ledger.model import NewTransaction, Posting
    from recon import model as M

    ctx = app.state.ctx
    ledger_id = world.ledger_id
    today = business_today()
    entry_ids = {}
    for ref, minor in (("BATCH-P1", 10_000), ("BATCH-P2", 20_000)):
        res = await ctx.ledger.post(world.institution_id, NewTransaction(
            ledger_id, [Posting(world.accounts["nostro_usd"], minor, "debit"), Posting(world.accounts["clients_usd"], minor, "credit")],
            idempotency_key=f"batch:{ref}", effective_date=today, description=f"receipt {ref}", metadata={"end_to_end_ref": ref},
        ))
        tx = await ctx.ledger.get_transaction(world.institution_id, res.transaction_id)
        entry_ids[ref] = next(f"{tx.id}:{p.line_no}" for p in tx.postings if p.account_id == world.accounts["nostro_usd"])
    parts = tuple(M.StatementPart(index=k, amount_minor=minor, end_to_end_ref=ref, counterparty_name=f"Buyer {k + 1}")
                  for k, (ref, minor) in enumerate((("BATCH-P1", 10_000), ("BATCH-P2", 20_000), ("BATCH-P3", 30_000))))
    await ctx.recon.import_events(world.institution_id, [
        M.StatementHeader(format="camt.053", statement_id="BATCH-STMT", account="US00NOSTRO0001", currency="USD"),
        M.StatementEntry(index=0, amount_minor=60_000, currency="USD", booking_date=today, value_date=today, end_to_end_ref="BATCH-P1", parts=parts),
        M.StatementFooter(entry_count=1),
    ])
    await ctx.recon.run_matching(world.institution_id)
    async with client_for(app) as c:
        await login(c, world.code, "mei")
        page = (await c.get("/console/exceptions")).text
    line = next(i for i in await ctx.recon.exceptions(world.institution_id, side="line") if i.parts)
    assert f'id="parts-{line.id}"' in page
    assert "Batch of 3 parts; 2 of 3 with a ledger entry." in html_lib.unescape(re.sub(r"\s+", " ", page))
    for k, ref in enumerate(("BATCH-P1", "BATCH-P2")):
        row = re.search(rf'id="part-{line.id}-{k}">(.*?)</tr>', page, re.S)
        assert row and ref in row.group(1) and f"matched: <code>{entry_ids[ref]}</code>" in row.group(1)
    row = re.search(rf'id="part-{line.id}-2">(.*?)</tr>', page, re.S)
    assert row and "300.00 USD" in row.group(1) and "no match" in row.group(1) and "Buyer 3" in row.group(1)


async def test_an_over_precise_or_huge_adjustment_amount_is_refused_and_nothing_is_proposed(app, world):
    recon = app.state.ctx.recon
    async with client_for(app) as maker:
        await login(maker, world.code, "mei")
        page = (await maker.get("/console/exceptions")).text
        # the selection's data attributes carry decimals with the currency's decimals, not minor units
        assert f'value="{world.line_id}" id="cb-line-{world.line_id}" data-amount="1234.56" data-currency="USD"' in page
        for amount in ("1234.560", "1e3", "99999999999999999", "12,34"):
            r = await maker.post("/console/exceptions/adjust", data={"csrf": csrf_of(page), "line_ids": world.line_id, "adjustment_amount": amount})
            assert r.status_code == 303
            flash = _flash((await maker.get("/console/exceptions")).text)
            assert "Adjustment" not in flash or "proposed" not in flash, (amount, flash)
    assert await recon.proposals(world.institution_id) == []
