"""The SME portal in a real browser (#17 item 5): the app served by
uvicorn on a loopback port, headless Chromium (Debian's ``chromium``)
driven by Playwright, in Chinese, through the whole path: sign in, the
eligible assets, an application with 20 orders, the offer with its cost
disclosure (staff decide and offer through the service, as the bank
would), accept, the payout (staff), the numbered schedule, a repayment of
the next instalment from the current account, the balance dropping.  A
screenshot of each step is kept under the test's ``tmp_path``.

Without Chromium or Playwright the test skips, except when ``CI`` or
``XBORDER_REQUIRE_BROWSER`` is set: then it fails (like the console's).
"""

from __future__ import annotations

import re
from decimal import Decimal
from uuid import UUID

import pytest

from tests.api.test_uvicorn import LiveServer
from tests.console.test_console_browser import CHROMIUM_ARGS, TIMEOUT_MS, browser_path  # noqa: F401 - the fixture
from tests.portal.conftest import PASSWORD, decide_and_offer, disburse, seed_shop


@pytest.fixture
def live(db_url, settings):
    with LiveServer(settings, db_url) as server:
        yield server


def _money(text: str) -> Decimal:
    return Decimal(text.strip().removeprefix("USD").strip().replace(",", ""))


async def test_an_sme_goes_from_sign_in_to_a_repayment_in_chromium(live, browser_path, tmp_path):
    from playwright.async_api import async_playwright

    shop = live.run(seed_shop(live.app))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=browser_path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context()
            context.set_default_timeout(TIMEOUT_MS)
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            shots = Shots(page, tmp_path)
            try:
                await _walk(page, live, shop, shots)
            except BaseException:
                await page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
                raise
            assert errors == [], errors  # no script errors, no CSP violations (no script at all)
            assert len(list(tmp_path.glob("*.png"))) == 8
        finally:
            await browser.close()


class Shots:
    def __init__(self, page, where) -> None:
        self.page, self.where, self.n = page, where, 0

    async def __call__(self, name: str) -> None:
        self.n += 1
        await self.page.screenshot(path=str(self.where / f"{self.n:02d}-{name}.png"), full_page=True)


async def _walk(page, live, shop, shot) -> None:
    base = live.base_url
    # sign in, in Chinese (the default)
    await page.goto(f"{base}/portal/login")
    assert await page.get_attribute("html", "lang") == "zh-CN" and await page.text_content("h1") == "登录"
    await page.fill("#institution", shop.code)
    await page.fill("#username", "sme1")
    await page.fill("#password", PASSWORD)
    await shot("sign-in")
    await page.click("#login")
    await page.wait_for_url(f"{base}/portal/loans")
    assert "sme1 · SME1 · " in await page.text_content("#whoami")
    # the eligible assets
    await page.click("#nav-assets")
    await page.wait_for_url(f"{base}/portal/assets")
    assert await page.locator("tr.asset").count() == 120
    assert "USD 5,000.00" in await page.text_content("#asset-1")
    await shot("assets")
    # apply: product, amount, tenor, 20 orders
    await page.click("#nav-apply")
    await page.wait_for_url(f"{base}/portal/apply")
    await page.fill("#amount", "70000.00")
    await page.fill("#tenor", "90")
    for i in range(1, 21):
        await page.check(f"#order-{i}")
    await shot("apply")
    await page.click("#submit-application")
    await page.wait_for_url(re.compile(r".*/portal/loans/[0-9a-f-]{36}$"))
    loan_url = page.url
    loan_id = UUID(loan_url.rsplit("/", 1)[1])
    assert await page.text_content("#flash") == "您的申请已提交。" and await page.text_content("#loan-status") == "审核中"
    # the bank decides and offers; the SME reads the offer and its cost
    live.run(decide_and_offer(live.app, shop, loan_id))
    await page.reload()
    assert await page.text_content("#loan-status") == "已发要约"
    assert await page.text_content("#offer-principal") == "USD 70,000.00" and await page.text_content("#offer-fee") == "USD 350.00"
    total = _money(await page.text_content("#offer-total"))
    assert total == _money(await page.text_content("#offer-principal")) + _money(await page.text_content("#offer-cost"))
    disclosure = await page.text_content("#disclosure")
    assert disclosure.startswith("借款本金 USD 70,000.00，等额本息，共 3 期") and f"应还总额 USD {total:,.2f}" in disclosure
    await shot("offer")
    await page.click("#accept")
    await page.wait_for_url(loan_url)
    assert await page.text_content("#loan-status") == "已接受要约"
    # the bank pays out; the schedule appears, three numbered instalments, none paid
    live.run(disburse(live.app, shop, loan_id))
    await page.reload()
    assert await page.text_content("#loan-status") == "还款中"
    assert await page.text_content("#outstanding") == "USD 70,350.00"
    rows = page.locator("#schedule-table tbody tr")
    assert await rows.count() == 3
    first = [(await c.text_content()).strip() for c in await page.locator("#instalment-1 td").all()]
    assert first[0] == "1" and first[-1] == "未到期" and first[-2] == "0.00"
    assert await page.text_content("#next-due") == f"USD {first[5]}"
    await shot("schedule")
    # repay the next instalment from the current account
    await page.click("#to-repay")
    await page.wait_for_url(f"{loan_url}/repay")
    assert await page.text_content("#current-balance") == "USD 70,000.00"
    amount = _money(await page.input_value("#amount"))
    assert amount == _money(first[5])
    await shot("repay")
    await page.click("#repay")
    await page.wait_for_url(loan_url)
    left = Decimal("70350.00") - amount
    assert (await page.text_content("#flash")).startswith(f"已收到还款 {amount:,.2f} USD") and await page.text_content("#outstanding") == f"USD {left:,.2f}"
    balances = [_money(x) for x in await page.locator("#statement-table tbody tr td:last-child").all_text_contents()]
    assert (await page.locator("#statement-table tbody tr td:nth-child(4)").all_text_contents())[:2] == ["贷款发放", "手续费"]
    assert balances[-1] == left
    await shot("repaid")
    await page.click("#to-repay")
    await page.wait_for_url(f"{loan_url}/repay")
    assert await page.text_content("#current-balance") == f"USD {Decimal('70000.00') - amount:,.2f}"
    await shot("balance")
