"""Report routes over HTTP: JSON and CSV renderings of the same numbers,
roles, tenancy, RFC 9457 problems for unknown reports and bad parameters,
and the spreadsheet formula-injection guard of the CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC

import pytest

from .conftest import transfer

PROBLEM = "application/problem+json"


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["type"].endswith("/" + code) and body["status"] == status
    return body


async def _post(client, t, debit, credit, amount, key, **extra):
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, debit, credit, amount, **extra), headers=t.h(**{"Idempotency-Key": key}))
    assert r.status_code == 201, r.text
    return r.json()


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_report_list_names_the_reports_and_their_params(client, tenant_a):
    r = await client.get("/v1/reports", headers=tenant_a.h())
    assert r.status_code == 200, r.text
    assert r.json()["has_more"] is False and r.json()["next_cursor"] is None
    by_name = {x["name"]: x for x in r.json()["data"]}
    assert {"trial_balance", "account_statement", "fx_position", "advance_aging", "loan_portfolio", "monitoring"} <= set(by_name)
    stmt = {p["name"]: p for p in by_name["account_statement"]["params"]}
    assert stmt["account_id"] == {"name": "account_id", "type": "uuid", "required": True, "default": None, "help": "the account", "choices": None}
    assert stmt["max_rows"]["default"] == 10_000 and stmt["max_rows"]["type"] == "int"
    assert by_name["monitoring"]["params"][-1]["choices"] == ["customs_mode", "destination_country", "merchant_kind", "all"]


async def test_trial_balance_as_json_and_as_csv_carry_the_same_numbers(client, tenant_a):
    t = tenant_a
    await _post(client, t, "bank", "merchant", "1000.00", "k1")
    await _post(client, t, "merchant", "fees", "3.00", "k2")
    await _post(client, t, "bank_jpy", "merchant_jpy", "50000", "k3", currency="JPY")
    r = await client.get("/v1/reports/trial_balance", params={"ledger": "main"}, headers=t.h())
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), r.text
    body = r.json()
    assert body["name"] == "trial_balance" and body["params"] == {"ledger": "main", "as_of_date": None}
    assert [c["key"] for c in body["columns"]][:4] == ["ledger", "account", "type", "currency"]
    rows = {x["account"]: x for x in body["rows"]}
    assert (rows["bank"]["debits"], rows["bank"]["credits"], rows["bank"]["balance_dr"]) == ("1000.00", "0.00", "1000.00")
    assert (rows["merchant"]["debits"], rows["merchant"]["credits"], rows["merchant"]["balance_cr"], rows["merchant"]["net"]) == ("3.00", "1000.00", "997.00", "-997.00")
    assert (rows["bank_jpy"]["debits"], rows["merchant_jpy"]["credits"]) == ("50000", "50000")
    totals = {x["currency"]: x for x in body["totals"]}
    assert (totals["USD"]["debits"], totals["USD"]["credits"], totals["USD"]["net"]) == ("1003.00", "1003.00", "0.00")
    assert (totals["JPY"]["debits"], totals["JPY"]["credits"], totals["JPY"]["net"]) == ("50000", "50000", "0")

    for how in ({"params": {"ledger": "main", "format": "csv"}, "headers": t.h()}, {"params": {"ledger": "main"}, "headers": t.h(Accept="text/csv")}):
        c = await client.get("/v1/reports/trial_balance", **how)
        assert c.status_code == 200, c.text
        assert c.headers["content-type"] == "text/csv; charset=utf-8"
        disp = c.headers["content-disposition"]
        assert disp.startswith('attachment; filename="trial_balance-') and disp.endswith('.csv"')
        parsed = _csv(c.content.decode("utf-8"))
        labels = [col["label"] for col in body["columns"]]
        assert list(parsed[0].keys()) == labels
        # every row and total parses back to the JSON's values
        for line, want in zip(parsed, body["rows"] + body["totals"], strict=False):
            assert list(line.values()) == [want[col["key"]] or "" for col in body["columns"]]
        usd_total = next(x for x in parsed if x["Account"] == "total" and x["Currency"] == "USD")
        assert (usd_total["Debits"], usd_total["Credits"], usd_total["Net (Dr - Cr)"]) == ("1003.00", "1003.00", "0.00")


async def test_statement_csv_escapes_formula_cells_and_keeps_negative_numbers(client, tenant_a):
    t = tenant_a
    await _post(client, t, "bank", "merchant", "100.00", "f1", description="=HYPERLINK(\"http://evil\",\"x\")")
    await _post(client, t, "merchant", "bank", "40.00", "f2", description="@SUM(A1:A9)")
    await _post(client, t, "fees", "bank", "70.00", "f3", description="+cmd|' /C calc'!A0")
    r = await client.get("/v1/reports/account_statement", params={"account_id": t.accounts["bank"]}, headers=t.h())
    assert r.status_code == 200, r.text
    body = r.json()
    assert [x["balance"] for x in body["rows"]] == ["0.00", "100.00", "60.00", "-10.00"]
    assert body["rows"][1]["description"] == "=HYPERLINK(\"http://evil\",\"x\")"  # JSON carries the data as is
    assert (body["totals"][0]["debit"], body["totals"][0]["credit"], body["totals"][0]["balance"]) == ("100.00", "110.00", "-10.00")
    c = await client.get("/v1/reports/account_statement", params={"account_id": t.accounts["bank"], "format": "csv"}, headers=t.h())
    parsed = _csv(c.text)
    assert [x["Description"] for x in parsed[1:4]] == ["'=HYPERLINK(\"http://evil\",\"x\")", "'@SUM(A1:A9)", "'+cmd|' /C calc'!A0"]
    # a negative amount is a number, not a formula: not escaped
    assert parsed[3]["Balance"] == "-10.00" and parsed[-1]["Balance"] == "-10.00"


async def test_report_roles_staff_and_key_yes_sme_no(client, tenant_a):
    t = tenant_a
    for role in ("admin", "finance", "approver"):
        r = await client.get("/v1/reports/trial_balance", headers=t.as_user(role))
        assert r.status_code == 200, (role, r.text)
    _problem(await client.get("/v1/reports/trial_balance", headers=t.as_user("sme")), 403, "forbidden_role")
    _problem(await client.get("/v1/reports", headers=t.as_user("sme")), 403, "forbidden_role")
    _problem(await client.get("/v1/reports/trial_balance"), 401, "credentials_missing")


async def test_platform_key_may_not_run_reports(app, client, tenant_a):
    from api.auth import issue_api_key

    async with app.state.ctx.engine.begin() as conn:
        issued = await issue_api_key(conn, app.state.ctx.keyring, tenant_a.institution_id, name="shop", role="platform", platform_code="shopx")
    _problem(await client.get("/v1/reports/fx_position", headers={"Authorization": f"Bearer {issued['key']}"}), 403, "forbidden_role")


async def test_another_institutions_account_and_ledger_answer_404(client, tenant_a, tenant_b):
    _problem(await client.get("/v1/reports/account_statement", params={"account_id": tenant_b.accounts["bank"]}, headers=tenant_a.h()), 404, "account_not_found")
    _problem(await client.get("/v1/reports/account_statement", params={"account_id": str(uuid.uuid4())}, headers=tenant_a.h()), 404, "account_not_found")
    _problem(await client.get("/v1/reports/trial_balance", params={"ledger": tenant_b.ledger_id}, headers=tenant_a.h()), 404, "ledger_not_found")
    # B's numbers never show in A's reports
    await _post(client, tenant_b, "bank", "merchant", "5.00", "b1")
    rep = (await client.get("/v1/reports/trial_balance", headers=tenant_a.h())).json()
    assert {x["ledger"] for x in rep["rows"]} == {"main"} and all(x["debits"] in ("0.00", "0") for x in rep["totals"])


async def test_unknown_report_is_404_and_bad_parameters_are_422_problems(client, tenant_a):
    t = tenant_a
    body = _problem(await client.get("/v1/reports/balance_sheet_of_mars", headers=t.h()), 404, "report_not_found")
    assert "trial_balance" in body["detail"]
    cases = [
        ("account_statement", {}, "account_id"),
        ("account_statement", {"account_id": "nope"}, "account_id"),
        ("account_statement", {"account_id": t.accounts["bank"], "date_from": "2026-13-01"}, "date_from"),
        ("account_statement", {"account_id": t.accounts["bank"], "max_rows": "100001"}, "max_rows"),
        ("trial_balance", {"account_id": t.accounts["bank"]}, "account_id"),  # not a parameter of this report
        ("monitoring", {"by": "planet"}, "by"),
        ("fx_position", {"base_currency": "usd"}, "base_currency"),
    ]
    for name, params, bad in cases:
        b = _problem(await client.get(f"/v1/reports/{name}", params=params, headers=t.h()), 422, "invalid_report_parameter")
        assert b["param"] == bad, (name, params, b)
    dup = _problem(await client.get("/v1/reports/trial_balance?as_of_date=2026-01-01&as_of_date=2026-01-02", headers=t.h()), 422, "invalid_report_parameter")
    assert dup["param"] == "as_of_date"
    _problem(await client.get("/v1/reports/trial_balance", params={"format": "xlsx"}, headers=t.h()), 422, "validation_error")


@pytest.mark.parametrize("name", ["fx_position", "advance_aging", "loan_portfolio", "monitoring"])
async def test_every_report_runs_on_an_institution_without_settlement_data(client, tenant_a, name):
    r = await client.get(f"/v1/reports/{name}", headers=tenant_a.h())
    assert r.status_code == 200, r.text
    assert r.json()["name"] == name
    c = await client.get(f"/v1/reports/{name}", params={"format": "csv"}, headers=tenant_a.h())
    assert c.status_code == 200 and c.text.count("\r\n") >= 1
    # every money column names its currency in a column of the report (JSON and CSV); no minor units
    cols = r.json()["columns"]
    keys = [x["key"] for x in cols]
    labels = next(csv.reader(io.StringIO(c.text)))
    assert labels == [x["label"] for x in cols]
    assert "currency" in keys and ("usd" in keys) == (name == "monitoring") and ("base_currency" in keys) == (name == "fx_position")
    assert "_minor" not in r.text and "minor units" not in r.text


async def test_fx_position_over_http_with_the_rate_of_the_rate_service(app, client, tenant_a):
    from datetime import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    await app.state.ctx.settlement.rates.set_manual_rate(tenant_a.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=today)
    await _post(client, tenant_a, "bank", "merchant", "1000.00", "x1")
    await _post(client, tenant_a, "merchant", "fees", "3.00", "x2")
    body = (await client.get("/v1/reports/fx_position", headers=tenant_a.h())).json()
    usd = next(x for x in body["rows"] if x["currency"] == "USD")
    # assets 1,000.00 less liabilities 997.00: long 3.00 = CNY 21.30
    assert (usd["assets"], usd["liabilities"], usd["net"], usd["rate"], usd["equivalent"]) == ("1000.00", "997.00", "3.00", "7.1000", "21.30")
    jpy = next(x for x in body["rows"] if x["currency"] == "JPY") if any(x["currency"] == "JPY" for x in body["rows"]) else None
    assert jpy is None  # no JPY balances yet
    assert body["totals"][0]["equivalent"] == "21.30"
    # the equivalent's currency is a column of its own (CSV readers see it too)
    assert usd["base_currency"] == "CNY" and body["totals"][0]["base_currency"] == "CNY"
    assert [c["key"] for c in body["columns"]][-3:] == ["equivalent", "base_currency", "note"]


async def test_the_report_list_walks_page_by_page_and_report_dates_are_strict(client, tenant_a):
    from tests.api.test_recon_api import assert_walks

    names = [x["name"] for x in (await client.get("/v1/reports", params={"limit": 1000}, headers=tenant_a.h())).json()["data"]]
    assert len(names) > 3 and names == sorted(names)
    assert await assert_walks(client, "/v1/reports", tenant_a.h(), len(names), key="name") == names
    for bad in ("0", "1", "2026-1-1", "2026-12-02T00:00:00Z", "20261202"):
        r = await client.get("/v1/reports/trial_balance", params={"as_of_date": bad}, headers=tenant_a.h())
        assert r.status_code == 422, (bad, r.text)
    assert (await client.get("/v1/reports/trial_balance", params={"as_of_date": "2026-12-02"}, headers=tenant_a.h())).status_code == 200
