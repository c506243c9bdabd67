"""The console speaks Chinese first (issue #16 item 1): every message in the
catalog, the English switch kept per user, China time to the minute, amounts
grouped with the currency's decimals, CSV in UTF-8 with a byte-order mark."""

from __future__ import annotations

import csv
import io
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from api.console import i18n
from tests.console.conftest import client_for, login

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import console_i18n


def test_every_console_message_has_a_chinese_translation_with_its_placeholders():
    messages = console_i18n.collect()
    assert len(messages) > 200  # templates, flashes, errors, report titles, columns and parameters
    assert "Exceptions queue" in messages and "Trial balance" in messages and "Net (Dr - Cr)" in messages
    assert console_i18n.problems() == []
    _ = i18n.gettext_for("zh")
    assert _("Exceptions queue") == "异常队列"
    assert _("Proposal %(id)s approved.", id="p-1") == "提议 p-1 已批准。"
    assert i18n.gettext_for("en")("Proposal %(id)s approved.", id="p-1") == "Proposal p-1 approved."


def test_times_are_china_time_to_the_minute():
    assert i18n.local_time(datetime(2026, 12, 2, 10, 51, 20, 223678, tzinfo=UTC)) == "2026-12-02 18:51"
    assert i18n.local_time("2026-12-02T10:51:20.223678+00:00") == "2026-12-02 18:51"
    assert i18n.local_time(datetime(2026, 12, 31, 16, 0)) == "2027-01-01 00:00"  # naive = UTC as stored
    assert i18n.local_time(None) == "" and i18n.local_time("not a time") == "not a time"


async def test_the_console_is_chinese_until_the_user_switches_to_english(app, world):
    async with client_for(app, lang=None) as c:
        r = await c.get("/console/login")
        assert '<html lang="zh-CN">' in r.text and "<h1>登录</h1>" in r.text and "机构代码" in r.text
        assert 'id="lang-switch" href="/console/lang/en"' in r.text
        r = await c.get("/console/lang/en", headers={"referer": "http://xborder.test/console/login"})
        assert r.status_code == 303 and r.headers["location"] == "/console/login"
        cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("xb_console_lang="))
        assert cookie.startswith("xb_console_lang=en;") and "max-age=31536000" in cookie.lower() and "httponly" in cookie.lower()
        r = await c.get("/console/login")
        assert '<html lang="en">' in r.text and "<h1>Log in</h1>" in r.text
        await c.get("/console/lang/zh", headers={"referer": "https://elsewhere.example/phish"})
        r = await c.get("/console/login")
        assert "<h1>登录</h1>" in r.text
        r = await c.get("/console/lang/fr")
        assert r.status_code == 404 and "页面不存在" in r.text


async def test_a_clerk_reads_chinese_pages_messages_and_a_chinese_csv(app, world):
    async with client_for(app, lang=None) as c:
        r = await login(c, world.code, "mei", password="wrong password, surely")
        assert "机构或用户不存在、密码错误或用户已停用。" in r.text
        await login(c, world.code, "mei")
        page = (await c.get("/console/exceptions")).text
        assert "<h1>异常队列</h1>" in page and "提议匹配" in page and 'data-prefix="已选 "' in page
        assert re.search(r'<td class="num">1,234\.56 USD</td>', page)  # amounts grouped with the currency's decimals
        r = await c.post("/console/exceptions/propose", data={"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1)})
        flash = re.search(r'id="flash">([^<]*)<', (await c.get("/console/exceptions")).text).group(1)
        assert flash == "请至少选择一行对账单和一笔账务分录以提议匹配。"
        report = (await c.get("/console/reports/trial_balance?run=1&ledger=main")).text
        assert "<h1>试算平衡表</h1>" in report and "净额（借 - 贷）" in report
        assert re.search(r"生成于 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）", report)
        r = await c.get("/console/reports/trial_balance/csv?ledger=main")
        assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads Chinese right
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][:5] == ["账簿", "账户", "账户名称", "类型", "币种"]  # the account's code, then its name
        assert len(rows) > 1 and all(re.fullmatch(r"-?\d+(\.\d+)?", x) for x in rows[1][5:8] if x)  # cells stay plain decimals


async def test_report_labels_made_from_values_read_in_chinese_and_stay_filled_in_english(app, world):
    """Titles and column labels that carry a value (a currency, an age bucket,
    a date) are catalog messages with placeholders: translated, then filled."""
    async with client_for(app, lang=None) as c:
        await login(c, world.code, "mei")
        page = (await c.get("/console/reports/recon_summary?run=1")).text
        assert "未匹配流水 0-1 天" in page and "未匹配分录 31+ 天" in page and "%(" not in page
        page = (await c.get("/console/reports/fx_position?run=1&base_currency=CNY")).text
        assert "外汇头寸（基准币种 CNY）" in page and "对 CNY 中间价" in page and "折合（CNY）" in page and "折合（CNY）币种" in page
        r = await c.get("/console/reports/fx_position/csv?base_currency=CNY")
        header = next(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert "对 CNY 中间价" in header and "折合（CNY）币种" in header
    async with client_for(app, lang="en") as c:
        await login(c, world.code, "mei")
        page = (await c.get("/console/reports/fx_position?run=1&base_currency=CNY")).text
        assert "FX position (base CNY)" in page and "Mid rate to CNY" in page and "Equivalent (CNY) currency" in page


async def test_a_refusal_reads_its_headline_in_chinese(app, world):
    """A service's refusal on a page: the error's title comes from the
    catalog (every domain error's and the four-eyes titles are in it), the
    detail with its figures follows."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import console_i18n as script

    titles = script.error_titles()
    assert {"Insufficient funds", "Day not reconciled", "The checker is the maker"} <= set(titles) and len(titles) > 100
    zh = i18n.gettext_for("zh")
    assert all(zh(t) != t for t in titles), [t for t in titles if zh(t) == t]
    async with client_for(app, lang=None) as c:
        await login(c, world.code, "chen")
        page = (await c.get("/console/exceptions")).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        await c.post("/console/exceptions/propose", data={"csrf": csrf, "line_ids": world.line_id, "entry_ids": world.entry_id})
        [proposal] = await app.state.ctx.recon.proposals(world.institution_id)
        approvals = (await c.get("/console/approvals")).text
        await c.post(f"/console/approvals/{proposal.id}/approve", data={"csrf": re.search(r'name="csrf" value="([^"]+)"', approvals).group(1)})
        flash = re.search(r'id="flash">([^<]*)<', (await c.get("/console/approvals")).text).group(1)
        assert flash.startswith("审批人即提议人: "), flash
