"""The console in a real browser: the app served by uvicorn on a loopback
port, headless Chromium (Debian's ``chromium``) driven by Playwright through
login, a manual match proposed by a finance user and approved by an
approver, the maker's refused approval, a statement upload with an
adjustment its maker cannot approve, and a report's CSV download.

Without Chromium or Playwright the test skips, except when ``CI`` or
``XBORDER_REQUIRE_BROWSER`` is set: then it fails.
"""

from __future__ import annotations

import csv
import io
import os
import shutil

import pytest

from tests.api.test_uvicorn import LiveServer
from tests.console.conftest import NOSTRO, PASSWORD, business_today, seed_world

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 20_000


def _require_browser() -> bool:
    return bool(os.environ.get("XBORDER_REQUIRE_BROWSER") or os.environ.get("CI"))


def _unavailable(reason: str):
    if _require_browser():
        pytest.fail(f"{reason} (required: CI or XBORDER_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("XBORDER_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture
def browser_path() -> str:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        _unavailable("Chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture
def live(db_url, settings):
    with LiveServer(settings, db_url) as server:
        yield server


async def _login(page, base: str, code: str, username: str) -> None:
    await page.goto(f"{base}/console/login")
    await page.fill("#institution", code)
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.click("#login")
    await page.wait_for_url(f"{base}/console/dashboard")
    assert (await page.text_content("#whoami")).split(" · ")[:2] == [username, {"mei": "finance", "chen": "approver"}[username]]


async def _logout(page, base: str) -> None:
    await page.click("#logout")
    await page.wait_for_url(f"{base}/console/login?reason=logged_out")
    assert "You have logged out." in await page.text_content("#login-message")


async def _nav(page, base: str, label: str, path: str) -> None:
    """Follow a menu link and wait until the new page has loaded: a click returns once navigation commits,
    before the page is parsed, so a count taken right after could read half a document."""
    await page.click(f"nav >> text={label}")
    await page.wait_for_url(f"{base}/console/{path}")


async def _flash(page) -> str:
    return " ".join((await page.text_content("#flash") or "").split())


async def test_finance_staff_work_the_console_in_chromium(live, browser_path, tmp_path):
    from playwright.async_api import async_playwright

    world = live.run(seed_world(live.app))
    recon = live.app.state.ctx.recon
    base = live.base_url
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=browser_path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(accept_downloads=True)
            await context.add_cookies([{"name": "xb_console_lang", "value": "en", "url": base + "/console"}])  # this walk reads the English texts
            context.set_default_timeout(TIMEOUT_MS)
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            try:
                await _work(page, base, world, recon, live)
                await _drill_down(page, base, world, tmp_path)
            except BaseException:
                await page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
                raise
            assert errors == [], errors  # no script errors, no CSP violations
        finally:
            await browser.close()


async def _work(page, base, world, recon, live) -> None:
    # -- the maker: log in, see the charts, propose the match -------------------------------
    await _login(page, base, world.code, "mei")
    assert await page.locator("#receipts-USD svg rect.bar").count() == 30
    assert "0.00%" in await page.text_content("#match-rate")

    await _nav(page, base, "Exceptions", "exceptions")
    line_row = page.locator(f"#line-{world.line_id}")
    assert "1,234.56 USD" in await line_row.text_content() and "BANK-XYZ-001" in await line_row.text_content()
    await page.check(f"#cb-line-{world.line_id}")
    await page.check(f"#cb-entry-{world.entry_id.replace(':', '-')}")
    # the little script sums the selection
    assert "Selected USD: lines 1,234.56, entries 1,234.56, difference 0.00 USD" in await page.text_content("#selection-total")
    await page.fill("#note", "same payment, bank booked it late")
    await page.click("#propose-match")
    await page.wait_for_url(f"{base}/console/exceptions")
    assert "Match proposed (1 statement line(s), 1 ledger entry(ies)); it awaits a second approver." in await _flash(page)
    assert await page.locator(f"#line-{world.line_id}").count() == 0

    # the maker cannot approve it
    await _nav(page, base, "Approvals", "approvals")
    row = page.locator("#pending-table tbody tr")
    assert await row.count() == 1
    proposal_id = (await row.first.get_attribute("id")).removeprefix("proposal-")
    assert "Your proposal: awaiting a second approver." in await row.first.text_content()
    await page.click(f"#proposal-{proposal_id} button.approve")
    await page.wait_for_url(f"{base}/console/approvals")
    assert (await _flash(page)).startswith("The checker is the maker")
    assert (live.run(recon.get_proposal(world.institution_id, _uuid(proposal_id)))).status == "pending"
    await _logout(page, base)

    # -- the approver: approve; the line leaves the queue and the match is listed ------------------
    await _login(page, base, world.code, "chen")
    await _nav(page, base, "Approvals", "approvals")
    row = page.locator(f"#proposal-{proposal_id}")
    assert "mei" in await row.text_content() and "awaiting a second approver" not in await row.text_content()
    await page.click(f"#proposal-{proposal_id} button.approve")
    await page.wait_for_url(f"{base}/console/approvals")
    assert f"Proposal {proposal_id} approved." in await _flash(page)
    assert await page.locator("#no-pending").count() == 1
    assert "approved" in await page.text_content(f"#decided-{proposal_id}")

    await _nav(page, base, "Exceptions", "exceptions")
    assert await page.locator(f"#line-{world.line_id}").count() == 0
    assert await page.locator("#no-lines").count() == 1 and await page.locator("#no-entries").count() == 1
    [match] = live.run(recon.matches(world.institution_id))
    match_row = page.locator(f"#match-{match['id']}")
    assert await match_row.get_attribute("data-lines") == world.line_id and await match_row.get_attribute("data-entries") == world.entry_id
    text = await match_row.text_content()
    assert "manual" in text and "chen" in text

    await _nav(page, base, "Dashboard", "dashboard")
    assert "100.00%" in await page.text_content("#match-rate")

    # -- the approver uploads a statement, proposes an adjustment, and may not approve it -----------
    await _nav(page, base, "Statements", "statements")
    from recon.samples import SampleEntry, write_camt053

    today = business_today()
    buf = io.BytesIO()
    write_camt053(buf, account=NOSTRO, currency="USD", statement_id="BROWSER-1", entries=[
        SampleEntry(amount_minor=-2_500, booking_date=today, value_date=today, end_to_end_ref="CHG-0042", description="SERVICE CHARGE"),
    ])
    await page.set_input_files("#file", files=[{"name": "statement.xml", "mimeType": "application/xml", "buffer": buf.getvalue()}])
    await page.click("#upload")
    await page.wait_for_selector("#import-result")
    result = await page.text_content("#result-table")
    assert "lines imported" in result and "BROWSER-1" in await page.text_content("#statements-table")

    await page.click("text=Go to the exceptions queue")
    await page.wait_for_url(f"{base}/console/exceptions")
    charge = page.locator("#lines-table tbody tr")
    assert await charge.count() == 1 and "-25.00 USD" in await charge.first.text_content()
    charge_id = (await charge.first.get_attribute("id")).removeprefix("line-")
    await page.check(f"#cb-line-{charge_id}")
    await page.fill("#adjustment_account", str(world.accounts["charges_usd"]))
    await page.fill("#adjustment_description", "service charge, October")
    await page.click("#propose-adjustment")
    await page.wait_for_url(f"{base}/console/exceptions")
    assert "Adjustment of -25.00 USD proposed" in await _flash(page)

    await _nav(page, base, "Approvals", "approvals")
    own = page.locator("#pending-table tbody tr")
    assert await own.count() == 1 and "Your proposal: awaiting a second approver." in await own.first.text_content()
    await own.first.locator("button.approve").click()
    await page.wait_for_url(f"{base}/console/approvals")
    flash = await _flash(page)
    assert flash.startswith("The checker is the maker") and "another person than its maker" in flash
    charges = live.run(live.app.state.ctx.ledger.get_account(world.institution_id, world.accounts["charges_usd"]))
    assert charges.debits_posted == 0  # nothing posted

    # -- a report and its CSV ----------------------------------------------------------------------
    await _nav(page, base, "Reports", "reports")
    await page.click("text=Trial balance")
    await page.fill("#p-ledger", "main")
    await page.click("#run-report")
    await page.wait_for_selector("#report-table")
    nostro_cells = await page.locator("#report-table tbody tr", has_text="nostro_usd").first.locator("td").all_text_contents()
    assert [c.strip() for c in nostro_cells[4:6]] == ["1,234.56", "0.00"]  # grouped on the page (the CSV keeps plain decimals)
    async with page.expect_download() as info:
        await page.click("#download-csv")
    download = await info.value
    assert download.suggested_filename == f"trial_balance-{today.isoformat()}.csv"
    path = await download.path()
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_account = {r["Account"]: r for r in rows}
    assert by_account["nostro_usd"]["Debits"] == "1234.56" and by_account["nostro_usd"]["Credits"] == "0.00"
    assert by_account["nostro_usd"]["Net (Dr - Cr)"] == "1234.56"
    assert by_account["clients_usd"]["Credits"] == "1234.56" and by_account["clients_usd"]["Net (Dr - Cr)"] == "-1234.56"
    # every account of the ledger, as the ledger itself reports it; totals balance
    tb = live.run(live.app.state.ctx.ledger.trial_balance(world.institution_id, world.ledger_id))
    from ledger.money import format_minor

    for line in tb.lines:
        r = by_account[line.code]
        assert (r["Debits"], r["Credits"]) == (format_minor(line.debits, line.currency), format_minor(line.credits, line.currency))
    [usd_total] = [r for r in rows if r["Account"] == "total" and r["Currency"] == "USD"]
    assert usd_total["Debits"] == usd_total["Credits"] == format_minor(sum(x.debits for x in tb.lines if x.currency == "USD"), "USD")


async def _drill_down(page, base, world, tmp_path) -> None:
    """From the trial balance to the statement behind a figure, on to the
    transaction behind a statement line (screenshots of each step)."""
    await page.goto(f"{base}/console/reports/trial_balance?run=1&ledger=main")
    row = page.locator("#report-table tbody tr", has_text="nostro_usd")
    assert "nostro_usd · USD" in await row.first.text_content()
    await page.screenshot(path=str(tmp_path / "drill-1-trial-balance.png"), full_page=True)
    await row.first.locator("a.drill", has_text="1,234.56").first.click()
    await page.wait_for_url(f"{base}/console/reports/account_statement?*")
    assert "nostro_usd · USD" in await page.text_content("#report-h")
    await page.screenshot(path=str(tmp_path / "drill-2-statement.png"), full_page=True)
    tx_id = world.entry_id.split(":")[0]
    await page.click(f"#report-table a[href='/console/transactions/{tx_id}']")
    await page.wait_for_url(f"{base}/console/transactions/{tx_id}")
    assert await page.text_content("#tx-id") == tx_id
    assert "chen" in await page.text_content("#tx-proposals-table") and "BANK-XYZ-001" in await page.text_content("#matched-lines-table")
    await page.screenshot(path=str(tmp_path / "drill-3-transaction.png"), full_page=True)


def _uuid(text: str):
    from uuid import UUID

    return UUID(text)
