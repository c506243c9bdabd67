"""Settlement over HTTP: receipts, release by an approver, conversions with
quota refusals as problem documents, alerts, monitoring, configuration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from settlement.customers import open_customer

from .conftest import approve, submit_and_approve


def _today():
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture
async def setup(app, tenant_a):
    ctx = app.state.ctx
    stl = ctx.settlement
    inst = tenant_a.institution_id
    await stl.rates.set_manual_rate(inst, "USD", "CNY", Decimal("7.1000"), as_of=_today())
    a = await open_customer(stl.ledger, stl.keyring, inst, ref="MA", kind="enterprise", name="A Ltd", fx_class="A", directory_registered=True)
    b = await open_customer(stl.ledger, stl.keyring, inst, ref="MB", kind="enterprise", name="B Ltd", fx_class="B", directory_registered=True)
    p = await open_customer(stl.ledger, stl.keyring, inst, ref="P1", kind="individual", name="Han Meimei", id_number="110101199202023456")
    return {"a": str(a.id), "b": str(b.id), "p": str(p.id)}


def receipt_body(customer, gross, **extra):
    return {"customer_id": customer, "currency": "USD", "gross": gross, "net": gross, "customs_mode": "9610", "destination_country": "DE", **extra}


async def test_receipt_with_netted_fees_over_http(client, tenant_a, setup):
    body = receipt_body(setup["a"], "10000.00", fees={"warehousing": "600.00", "logistics": "250.00", "tax": "150.00"}, net="9000.00")
    r = await client.post("/v1/receipts", json=body, headers=tenant_a.h(**{"Idempotency-Key": "rcpt-1"}))
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["gross"], out["net"], out["fees"]) == ("10000.00", "9000.00", {"warehousing": "600.00", "logistics": "250.00", "tax": "150.00"})
    assert out["status"] == "credited" and out["external_ref"] == "rcpt-1"
    again = await client.post("/v1/receipts", json=body, headers=tenant_a.h(**{"Idempotency-Key": "rcpt-1"}))
    assert again.content == r.content
    bad = dict(body, net="9100.00")
    p = (await client.post("/v1/receipts", json=bad, headers=tenant_a.h(**{"Idempotency-Key": "rcpt-2"}))).json()
    assert p["code"] == "receipt_invalid" and (p["expected_net"], p["currency"]) == ("9000.00", "USD")
    # a zero gross is refused by the schema; zero fees and evidence orders without the platform by their rules
    zero = (await client.post("/v1/receipts", json=dict(body, gross="0.00", net="0.00", fees={}), headers=tenant_a.h(**{"Idempotency-Key": "rcpt-3"}))).json()
    assert zero["code"] == "validation_error"
    no_platform = dict(receipt_body(setup["a"], "10.00"), evidence_orders=["SO-1"])
    p = (await client.post("/v1/receipts", json=no_platform, headers=tenant_a.h(**{"Idempotency-Key": "rcpt-4"}))).json()
    assert p["code"] == "evidence_platform_required"


async def test_class_b_release_needs_an_approver(client, tenant_a, setup):
    r = (await client.post("/v1/receipts", json=receipt_body(setup["b"], "500.00"), headers=tenant_a.h(**{"Idempotency-Key": "b-1"}))).json()
    assert r["status"] == "pending_verification"
    url = f"/v1/receipts/{r['id']}/release"
    denied = await client.post(url, json={"note": "ok"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "rel-1"}))
    assert denied.status_code == 403
    ok = await client.post(url, json={"note": "invoice INV-9 checked"}, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "rel-2"}))
    # four eyes: pending until a second person approves; the checker is recorded as releasing it
    assert ok.status_code == 202 and ok.json()["action"] == "receipt.release", ok.text
    assert (await client.get(f"/v1/receipts/{r['id']}", headers=tenant_a.h())).json()["status"] == "pending_verification"
    req = await approve(client, tenant_a, ok)
    assert req["status"] == "executed" and req["result"]["status"] == "released" and req["result"]["released_by"] == f"user:{req['checker']['id']}"
    listed = (await client.get("/v1/receipts", params={"status": "released"}, headers=tenant_a.h())).json()["data"]
    assert [x["id"] for x in listed] == [r["id"]]


async def test_quota_refusal_is_a_problem_with_the_remaining_amount(client, tenant_a, setup):
    await client.post("/v1/receipts", json=receipt_body(setup["p"], "60000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund"}))
    first = await client.post("/v1/conversions", json={"customer_id": setup["p"], "direction": "settle", "currency": "USD", "amount": "30000.00"}, headers=tenant_a.h(**{"Idempotency-Key": "c-1"}))
    assert first.status_code == 201 and first.json()["quota_usd"]["amount"] == "30000.00" and first.json()["cny"]["amount"] == "211935.00"
    refused = await client.post("/v1/conversions", json={"customer_id": setup["p"], "direction": "settle", "currency": "USD", "amount": "25000.00"}, headers=tenant_a.h(**{"Idempotency-Key": "c-2"}))
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["code"] == "quota_exceeded" and body["remaining_usd"] == "20000.00" and body["currency"] == "USD"
    quota = (await client.get(f"/v1/customers/{setup['p']}/quota", headers=tenant_a.h())).json()
    assert quota["directions"]["settle"] == {"currency": "USD", "used_usd": "30000.00", "remaining_usd": "20000.00", "limit_usd": "50000.00", "national_limit_usd": "50000.00"}
    # only approvers attach a review
    review = {"customer_id": setup["p"], "direction": "settle", "currency": "USD", "amount": "25000.00", "review": {"proof": "contract SC-1"}}
    assert (await client.post("/v1/conversions", json=review, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "c-3"}))).status_code == 403
    ok = await client.post("/v1/conversions", json=review, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "c-4"}))
    # four eyes: the review is a second person's (the checker is the reviewer)
    assert ok.status_code == 202 and ok.json()["action"] == "conversion.review", ok.text
    done = await submit_and_approve(client, tenant_a, ok)
    assert (done["quota_usd"]["amount"], done["reviewed_usd"]["amount"]) == ("20000.00", "5000.00")


async def test_alerts_monitoring_and_configuration(client, tenant_a, setup):
    await client.post("/v1/receipts", json=receipt_body(setup["a"], "100.00", customs_mode="9710", declared_value="50.00"), headers=tenant_a.h(**{"Idempotency-Key": "m-1"}))
    alerts = (await client.get("/v1/risk-alerts", headers=tenant_a.h())).json()["data"]
    kinds = {a["kind"] for a in alerts}
    assert {"receipt_without_evidence", "authenticity_variance"} <= kinds
    one = next(a for a in alerts if a["kind"] == "authenticity_variance")
    closed = await client.post(f"/v1/risk-alerts/{one['id']}/close", headers=tenant_a.as_user("approver"))
    assert closed.json()["status"] == "closed"
    today = _today().isoformat()
    stats = (await client.get("/v1/monitoring/receipts", params={"date_from": today, "date_to": today, "group_by": "customs_mode,merchant_kind"}, headers=tenant_a.h())).json()
    assert stats["group_by"] == ["customs_mode", "merchant_kind"] and stats["date_from"] == stats["date_to"] == today
    assert stats["rows"] == [{"key": {"customs_mode": "9710", "merchant_kind": "enterprise"}, "currency": "USD", "count": 1, "gross": "100.00", "fees": "0.00", "net": "100.00", "usd_equivalent": {"amount": "100.00", "currency": "USD"}}]
    bad = await client.get("/v1/monitoring/receipts", params={"date_from": today, "date_to": today, "group_by": "password"}, headers=tenant_a.h())
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"  # the schema lists the dimensions (a pattern)
    for path in ("/v1/monitoring/receipts", "/v1/monitoring/conversions", "/v1/monitoring/payments"):
        backwards = await client.get(path, params={"date_from": today, "date_to": "2000-01-01"}, headers=tenant_a.h())
        assert backwards.status_code == 422 and backwards.json()["code"] == "invalid_period", backwards.text
        assert (backwards.json()["date_from"], backwards.json()["date_to"]) == (today, "2000-01-01")
    cfg = await client.put("/v1/settlement/config", json={"overrides": {"variance_tolerance": "0.10"}}, headers=tenant_a.h())
    assert cfg.status_code == 200 and cfg.json()["variance_tolerance"] == "0.10"
    assert (await client.put("/v1/settlement/config", json={"overrides": {"variance_tolerance": "lots"}}, headers=tenant_a.h())).status_code == 422


# -- national parameters are the deployment's (issue #12, defect 1) -------------------------------

PERSON_ID = "110101199202023456"  # the same person (Han Meimei) at both banks


def conversion(customer, amount, **extra):
    return {"customer_id": customer, "direction": "settle", "currency": "USD", "amount": amount, **extra}


async def _convert(client, tenant, customer, amount, key, **extra):
    return await client.post("/v1/conversions", json=conversion(customer, amount, **extra), headers=tenant.h(**{"Idempotency-Key": key}))


async def _person_at(app, tenant, ref="P1"):
    stl = app.state.ctx.settlement
    await stl.rates.set_manual_rate(tenant.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=_today())
    p = await open_customer(stl.ledger, stl.keyring, tenant.institution_id, ref=ref, kind="individual", name="Han Meimei", id_number=PERSON_ID)
    return str(p.id)


def deployment(app, **national):
    """The deployment operator sets national parameters (``XBORDER_...``
    settings, read when the services are built): here on the running app."""
    stl = app.state.ctx.settlement
    stl.national = {**stl.national, **national}
    stl._config_cache.clear()


@pytest.mark.parametrize(
    "overrides",
    [
        {"individual_annual_quota_usd": 10_000_000},
        {"Individual_Annual_Quota_USD": 10_000_000},
        {"individual-annual-quota-usd ": 10_000_000},
        {"extra": {"individual_annual_quota_usd": 10_000_000}},
        {"extra": {"split_limit_usd": 10_000_000}},
        {"registration_threshold_usd": 100_000_000},
        {"individual_annual_quota_usd": 5_000_000},  # even the national figure itself: not the bank's to set
    ],
)
async def test_a_bank_cannot_raise_the_national_quota_for_a_person_another_bank_served(app, client, tenant_a, tenant_b, overrides):
    pa, pb = await _person_at(app, tenant_a), await _person_at(app, tenant_b, ref="P1-B")
    await client.post("/v1/receipts", json=receipt_body(pa, "60000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund-a"}))
    await client.post("/v1/receipts", json=receipt_body(pb, "60000.00"), headers=tenant_b.h(**{"Idempotency-Key": "fund-b"}))
    assert (await _convert(client, tenant_a, pa, "50000.00", "a-50k")).status_code == 201
    before = (await client.get("/v1/settlement/config", headers=tenant_b.h())).json()
    refused = await client.put("/v1/settlement/config", json={"overrides": overrides}, headers=tenant_b.h())
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["code"] == "national_parameter" and body["key"] in ("individual_annual_quota_usd", "split_limit_usd", "registration_threshold_usd")
    assert body["key"] in body["detail"]
    assert (await client.get("/v1/settlement/config", headers=tenant_b.h())).json() == before  # nothing changed
    assert (before["individual_annual_quota_usd"], before["currency"]) == ("50000.00", "USD")
    over = await _convert(client, tenant_b, pb, "30000.00", "b-30k")
    assert over.status_code == 422 and over.json()["code"] == "quota_exceeded" and over.json()["remaining_usd"] == "0.00"
    for t, p in ((tenant_a, pa), (tenant_b, pb)):  # the national registry: still 50,000 used
        settle = (await client.get(f"/v1/customers/{p}/quota", headers=t.h())).json()["directions"]["settle"]
        assert (settle["used_usd"], settle["national_limit_usd"]) == ("50000.00", "50000.00")


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Etc/GMT+12", "Asia/Shanghai"])
async def test_the_regulatory_time_zone_is_national_and_refused_per_institution(client, tenant_b, tz):
    refused = await client.put("/v1/settlement/config", json={"overrides": {"regulatory_timezone": tz}}, headers=tenant_b.h())
    assert refused.status_code == 403 and refused.json()["code"] == "national_parameter" and refused.json()["key"] == "regulatory_timezone"
    cfg = (await client.get("/v1/settlement/config", headers=tenant_b.h())).json()
    assert cfg["regulatory_timezone"] == "Asia/Shanghai"


async def test_an_institution_may_set_a_stricter_per_customer_limit_never_a_looser_one(app, client, tenant_a):
    p = await _person_at(app, tenant_a)
    await client.post("/v1/receipts", json=receipt_body(p, "60000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund"}))
    for bad in ("50000.01", "0", "-1", "0.001", "1e4", 2_000_000, 20000, True, "99999999999999999999"):
        looser = await client.put("/v1/settlement/config", json={"overrides": {"customer_annual_quota_usd": bad}}, headers=tenant_a.h())
        assert looser.status_code == 422, bad
        assert (looser.json()["code"], looser.json()["rule"], looser.json()["key"]) == ("looser_than_national", "S5", "customer_annual_quota_usd")
    assert (await client.get("/v1/settlement/config", headers=tenant_a.h())).json()["customer_annual_quota_usd"] is None
    ok = await client.put("/v1/settlement/config", json={"overrides": {"customer_annual_quota_usd": "20000.00"}}, headers=tenant_a.h())
    assert ok.status_code == 200 and ok.json()["customer_annual_quota_usd"] == "20000.00" and ok.json()["individual_annual_quota_usd"] == "50000.00"
    refused = await _convert(client, tenant_a, p, "25000.00", "c-25k")
    assert refused.status_code == 422 and refused.json()["code"] == "quota_exceeded" and refused.json()["remaining_usd"] == "20000.00"
    assert (await _convert(client, tenant_a, p, "20000.00", "c-20k")).status_code == 201
    settle = (await client.get(f"/v1/customers/{p}/quota", headers=tenant_a.h())).json()["directions"]["settle"]
    assert settle == {"currency": "USD", "used_usd": "20000.00", "remaining_usd": "0.00", "limit_usd": "20000.00", "national_limit_usd": "50000.00"}
    warn = await client.put("/v1/settlement/config", json={"overrides": {"internal_registration_warning_usd": "180000.01"}}, headers=tenant_a.h())
    assert warn.status_code == 422 and warn.json()["rule"] == "S6"


async def test_an_earlier_internal_registration_warning_is_raised_at_the_bank_figure(app, client, tenant_a):
    stl = app.state.ctx.settlement
    await stl.rates.set_manual_rate(tenant_a.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=_today())
    e = await open_customer(stl.ledger, stl.keyring, tenant_a.institution_id, ref="E1", kind="enterprise", name="E Ltd", fx_class="A")
    ok = await client.put("/v1/settlement/config", json={"overrides": {"internal_registration_warning_usd": "100000.00"}}, headers=tenant_a.h())
    assert ok.status_code == 200
    r = (await client.post("/v1/receipts", json=receipt_body(str(e.id), "120000.00"), headers=tenant_a.h(**{"Idempotency-Key": "e-120k"}))).json()
    assert "registration_warning" in r["alerts"] and r["status"] == "credited"


# -- split detection counts ordinary conversions only (defect 2) ----------------------------------


async def test_a_reviewed_conversion_never_puts_the_person_on_the_watch_list(app, client, tenant_a):
    p = await _person_at(app, tenant_a)
    await client.post("/v1/receipts", json=receipt_body(p, "60000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund"}))
    assert (await _convert(client, tenant_a, p, "45000.00", "o-45k")).status_code == 201
    body = conversion(p, "10000.00", review={"proof": "sales contract SC-2026-17, invoices INV-1..3, bill of lading"})
    reviewed = await client.post("/v1/conversions", json=body, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "r-10k"}))
    out = await submit_and_approve(client, tenant_a, reviewed)  # four eyes: another person reviews
    assert (out["quota_usd"]["amount"], out["reviewed_usd"]["amount"]) == ("5000.00", "5000.00") and "split_conversions" not in out["alerts"]
    alerts = (await client.get("/v1/risk-alerts", params={"kind": "split_conversions"}, headers=tenant_a.h())).json()["data"]
    assert alerts == []
    quota = (await client.get(f"/v1/customers/{p}/quota", headers=tenant_a.h())).json()
    assert quota["watch_list_until"] is None and quota["directions"]["settle"]["used_usd"] == "50000.00"
    # a later ordinary conversion is decided by the quota (used up in settle), not by a watch list
    later = await _convert(client, tenant_a, p, "1.00", "o-1")
    assert later.status_code == 422 and later.json()["code"] == "quota_exceeded"
    buy = await _convert(client, tenant_a, p, "1000.00", "o-buy", direction="purchase")
    assert buy.status_code == 201 and buy.json()["quota_usd"]["amount"] == "1000.00"


# -- value dates (defect 4, settlement side) ------------------------------------------------------


@pytest.mark.parametrize("offset_days", [5 * 365, 1, -31])
async def test_a_receipt_value_date_outside_the_open_period_is_refused(client, tenant_a, setup, offset_days):
    vd = (_today() + timedelta(days=offset_days)).isoformat()
    r = await client.post("/v1/receipts", json=receipt_body(setup["a"], "100.00", value_date=vd), headers=tenant_a.h(**{"Idempotency-Key": "vd"}))
    assert r.status_code == 422
    p = r.json()
    assert (p["code"], p["field"], p["open_days"], p["latest"]) == ("value_date_out_of_window", "value_date", 30, _today().isoformat())
    assert p["earliest"] == (_today() - timedelta(days=30)).isoformat() and "30 days" in p["detail"]
    assert (await client.get("/v1/receipts", headers=tenant_a.h())).json()["data"] == []  # nothing posted


async def test_a_receipt_back_dated_within_the_open_period_counts_on_its_value_date(app, client, tenant_a, setup):
    vd = _today() - timedelta(days=30)
    await app.state.ctx.settlement.rates.set_manual_rate(tenant_a.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=vd)
    r = await client.post("/v1/receipts", json=receipt_body(setup["a"], "100.00", value_date=vd.isoformat()), headers=tenant_a.h(**{"Idempotency-Key": "vd"}))
    assert r.status_code == 201 and r.json()["value_date"] == vd.isoformat()


async def test_a_conversion_value_dated_late_in_the_previous_year_lands_in_that_quota_year(app, client, tenant_a):
    last_year = _today().year - 1
    late = datetime(last_year, 12, 31, 22, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    open_days = (_today() - late.date()).days + 1
    deployment(app, value_date_open_days=open_days)  # an operator with a long open period
    p = await _person_at(app, tenant_a)
    await app.state.ctx.settlement.rates.set_manual_rate(tenant_a.institution_id, "USD", "CNY", Decimal("7.2000"), as_of=late.date())
    await client.post("/v1/receipts", json=receipt_body(p, "60000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund"}))
    # 2025-12-31 22:30 China time is 14:30 UTC the same day, given with a UTC offset
    r = await _convert(client, tenant_a, p, "40000.00", "late", value_time=late.astimezone(UTC).isoformat())
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["quota_year"] == last_year and out["rate"]["as_of"] == late.date().isoformat() and out["cny"]["amount"] == "286560.00"  # buy 7.1640
    assert datetime.fromisoformat(out["value_time"]) == late
    tx = (await client.get(f"/v1/transactions/{out['transaction_id']}", headers=tenant_a.h())).json()
    assert tx["effective_date"] == late.date().isoformat()
    prev = (await client.get(f"/v1/customers/{p}/quota", params={"year": last_year}, headers=tenant_a.h())).json()["directions"]["settle"]
    this = (await client.get(f"/v1/customers/{p}/quota", headers=tenant_a.h())).json()["directions"]["settle"]
    assert (prev["used_usd"], this["used_usd"]) == ("40000.00", "0.00")
    # this year's quota is whole: 50,000 converts today
    assert (await _convert(client, tenant_a, p, "20000.00", "today")).status_code == 201


@pytest.mark.parametrize("when", ["future", "too_old", "naive"])
async def test_a_conversion_value_time_outside_the_window_is_refused(app, client, tenant_a, when):
    p = await _person_at(app, tenant_a)
    await client.post("/v1/receipts", json=receipt_body(p, "1000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund"}))
    now = datetime.now(UTC)
    value = {"future": (now + timedelta(hours=1)).isoformat(), "too_old": (now - timedelta(days=32)).isoformat(), "naive": "2026-01-01T10:00:00"}[when]
    r = await _convert(client, tenant_a, p, "100.00", "v", value_time=value)
    assert r.status_code == 422
    if when != "naive":  # a value time without offset is refused by the schema
        assert (r.json()["code"], r.json()["field"], r.json()["open_days"]) == ("value_date_out_of_window", "value_time", 30)
    quota = (await client.get(f"/v1/customers/{p}/quota", headers=tenant_a.h())).json()
    assert quota["directions"]["settle"]["used_usd"] == "0.00"


def test_national_parameters_come_from_the_deployment_settings(monkeypatch):
    from ledger.config import Settings
    from settlement.config import national_parameters

    monkeypatch.setenv("XBORDER_INDIVIDUAL_ANNUAL_QUOTA_USD", "4000000")
    monkeypatch.setenv("XBORDER_VALUE_DATE_OPEN_DAYS", "10")
    nat = national_parameters(Settings())
    assert (nat["individual_annual_quota_usd"], nat["value_date_open_days"], nat["regulatory_timezone"]) == (4_000_000, 10, "Asia/Shanghai")


async def test_the_s6_year_of_a_receipt_is_that_of_its_value_date(app, client, tenant_a):
    stl = app.state.ctx.settlement
    last_year_end = datetime(_today().year - 1, 12, 31).date()
    deployment(app, value_date_open_days=(_today() - last_year_end).days)
    for day in (last_year_end, _today()):
        await stl.rates.set_manual_rate(tenant_a.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=day)
    e = await open_customer(stl.ledger, stl.keyring, tenant_a.institution_id, ref="E2", kind="enterprise", name="E2 Ltd", fx_class="A")
    body = receipt_body(str(e.id), "190000.00", value_date=last_year_end.isoformat())
    old = (await client.post("/v1/receipts", json=body, headers=tenant_a.h(**{"Idempotency-Key": "e-old"}))).json()
    assert old["value_date"] == last_year_end.isoformat() and "registration_warning" in old["alerts"] and old["status"] == "credited"
    # this year starts from zero: 190,000 more today is a warning for this year, not a hold at 380,000
    new = (await client.post("/v1/receipts", json=receipt_body(str(e.id), "190000.00"), headers=tenant_a.h(**{"Idempotency-Key": "e-new"}))).json()
    assert new["status"] == "credited" and "registration_warning" in new["alerts"]
    warnings = (await client.get("/v1/risk-alerts", params={"kind": "registration_warning"}, headers=tenant_a.h())).json()["data"]
    assert sorted(a["details"]["year"] for a in warnings) == [_today().year - 1, _today().year]
