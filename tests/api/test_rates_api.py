"""Rate routes over HTTP, with the ECB file served by a real local HTTP
server (tests/settlement/test_rates.py builds it from the real ECB history)."""

from __future__ import annotations

import uuid
from fractions import Fraction

import pytest

from settlement.rates import EcbXmlRateSource
from tests.api.conftest import approve
from tests.settlement.test_rates import HOSTILE, ecb_xml, rate_count, rate_server, round_sig  # noqa: F401 - rate_server is a fixture

D5 = "2024-01-05"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


@pytest.fixture
async def ecb(app, rate_server):
    """The app's rate service reads an ECB file on the local server; returns
    a function that replaces what that URL serves."""
    url = rate_server.publish(ecb_xml())
    path = url.split(str(rate_server.httpd.server_address[1]), 1)[1]
    rates = app.state.ctx.rates
    rates.sources.clear()
    rates.add_source(EcbXmlRateSource(url))

    def serve(body: bytes, status: int = 200) -> None:
        rate_server.publish(body, status=status, path=path)

    return serve


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code and body["type"].endswith("/" + code)
    return body


async def _refresh(client, t):
    r = await client.post("/v1/rates/refresh", json={}, headers=t.h())
    assert r.status_code == 200, r.text
    return r.json()["results"]


async def test_refresh_then_mid_and_bank_rates_over_http(client, tenant_a, ecb):
    [res] = await _refresh(client, tenant_a)
    assert res["ok"] and res["inserted"] == rate_count() and (res["first_date"], res["last_date"]) == ("2024-01-02", D5)
    r = await client.get("/v1/rates/mid", params={"base": "USD", "quote": "CNY", "on": D5}, headers=tenant_a.as_user("approver"))
    assert r.status_code == 200, r.text
    mid = r.json()
    assert mid["value"] == "7.15410676678" == str(round_sig(Fraction("7.813") / Fraction("1.0921")))
    assert (mid["kind"], mid["source"], mid["as_of"], mid["method"]) == ("mid", "ecb", D5, "cross:EUR")
    assert [(x["base"], x["quote"], x["value"]) for x in mid["legs"]] == [("EUR", "USD", "1.0921"), ("EUR", "CNY", "7.813")]
    buy = (await client.get("/v1/rates/bank", params={"base": "USD", "quote": "CNY", "side": "buy", "on": D5}, headers=tenant_a.h())).json()
    assert (buy["value"], buy["kind"], buy["spread_bp"]) == ("7.11833623295", "buy", 50)
    sell = (await client.get("/v1/rates/bank", params={"base": "USD", "quote": "CNY", "side": "sell", "on": D5}, headers=tenant_a.as_user("finance"))).json()
    assert sell["value"] == "7.18987730061"
    # the refresh is in the audit log of the institution that asked for it
    log = (await client.get("/v1/audit-log", headers=tenant_a.h())).json()
    items = log["data"]
    assert any(e["action"] == "fx_rate.refresh" for e in items)


async def test_spreads_and_manual_rates_are_per_institution(client, tenant_a, tenant_b, ecb):
    await _refresh(client, tenant_a)
    # spreads per pair, set by admins and used by bank rates
    r = await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "CNY", "spread_bp": 30}, headers=tenant_a.as_user("admin", **_key()))
    assert r.status_code == 202, r.text  # four eyes: set once an approver approves
    assert r.json()["action"] == "rates.spreads" and r.json()["status"] == "pending"
    done = await approve(client, tenant_a, r)
    assert done["result"]["spread_bp"] == 30 and done["result"]["updated_by"].startswith("user:")
    _problem(await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "CNY", "spread_bp": 10}, headers=tenant_a.as_user("finance", **_key())), 403, "forbidden_role")
    _problem(await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "CNY", "spread_bp": 5000}, headers=tenant_a.h(**_key())), 422, "spread_above_maximum")
    _problem(await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "USD", "spread_bp": 5}, headers=tenant_a.h(**_key())), 422, "same_currency_pair")
    _problem(await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "CNY", "spread_bp": -1}, headers=tenant_a.h(**_key())), 422, "validation_error")
    buy_a = (await client.get("/v1/rates/bank", params={"base": "USD", "quote": "CNY", "side": "buy", "on": D5}, headers=tenant_a.h())).json()
    buy_b = (await client.get("/v1/rates/bank", params={"base": "USD", "quote": "CNY", "side": "buy", "on": D5}, headers=tenant_b.h())).json()
    assert buy_a["spread_bp"] == 30 and buy_a["value"] == str(round_sig(Fraction("7.15410676678") * Fraction(9970, 10000)))
    assert buy_b["spread_bp"] == 50
    spreads = (await client.get("/v1/rates/spreads", headers=tenant_a.as_user("approver"))).json()["data"]
    assert [(s["base"], s["quote"], s["spread_bp"]) for s in spreads] == [("USD", "CNY", 30)]
    assert (await client.get("/v1/rates/spreads", headers=tenant_b.h())).json()["data"] == []

    # manual rates apply to their institution only
    r = await client.post("/v1/rates/manual", json={"base": "USD", "quote": "CNY", "rate": "7.1600", "as_of": D5}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    rate = (await approve(client, tenant_a, r))["result"]
    assert (rate["value"], rate["source"], rate["as_of"]) == ("7.1600", "manual", D5)
    a = (await client.get("/v1/rates/mid", params={"base": "USD", "quote": "CNY", "on": D5}, headers=tenant_a.h())).json()
    b = (await client.get("/v1/rates/mid", params={"base": "USD", "quote": "CNY", "on": D5}, headers=tenant_b.h())).json()
    assert (a["value"], a["source"]) == ("7.1600", "manual")
    assert (b["value"], b["source"]) == ("7.15410676678", "ecb")
    _problem(await client.post("/v1/rates/manual", json={"base": "USD", "quote": "CNY", "rate": "7.16"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": str(uuid.uuid4())})), 403, "forbidden_role")
    for bad in ({"rate": "7,16"}, {"rate": 7.16}, {"rate": "-1"}, {"base": "usd"}, {"extra": 1}):
        body = {"base": "USD", "quote": "CNY", "rate": "7.16", **bad}
        _problem(await client.post("/v1/rates/manual", json=body, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())})), 422, "validation_error")
    _problem(await client.post("/v1/rates/manual", json={"base": "USD", "quote": "CNY", "rate": "0"}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())})), 422, "invalid_rate")
    _problem(await client.post("/v1/rates/manual", json={"base": "USD", "quote": "ZZZ", "rate": "1"}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())})), 422, "unknown_currency")


async def test_malformed_file_is_a_clear_problem_old_rates_stay_and_missing_rates_are_unavailable(client, tenant_a, ecb):
    await _refresh(client, tenant_a)
    ecb(ecb_xml().replace(b"rate='1.0921'", b"rate='one'"))
    body = _problem(await client.post("/v1/rates/refresh", json={}, headers=tenant_a.h()), 422, "rate_file_invalid")
    assert body["line"] == 9 and body["element"] == "Cube" and "1.0921" not in body["detail"] and "one" in body["reason"]
    mid = (await client.get("/v1/rates/mid", params={"base": "EUR", "quote": "USD", "on": D5}, headers=tenant_a.h())).json()
    assert mid["value"] == "1.0921"
    ecb(HOSTILE["billion laughs"])
    body = _problem(await client.post("/v1/rates/refresh", json={}, headers=tenant_a.h()), 422, "rate_file_invalid")
    assert body["element"] == "!DOCTYPE"
    ecb(b"down", status=500)
    body = _problem(await client.post("/v1/rates/refresh", json={}, headers=tenant_a.h()), 502, "rate_source_unavailable")
    assert body["http_status"] == 500
    _problem(await client.post("/v1/rates/refresh", json={"sources": ["nope"]}, headers=tenant_a.h()), 422, "unknown_rate_source")
    _problem(await client.post("/v1/rates/refresh", json={}, headers=tenant_a.as_user("finance")), 403, "forbidden_role")
    # a missing rate
    body = _problem(await client.get("/v1/rates/mid", params={"base": "USD", "quote": "CNY", "on": "2023-12-29"}, headers=tenant_a.h()), 422, "rate_unavailable")
    assert (body["base"], body["quote"], body["on"]) == ("USD", "CNY", "2023-12-29")
    _problem(await client.get("/v1/rates/mid", params={"base": "USD", "quote": "KWD", "on": D5}, headers=tenant_a.h()), 422, "rate_unavailable")
    _problem(await client.get("/v1/rates/mid", params={"base": "USD", "quote": "CNY"}, headers=tenant_a.as_user("sme")), 403, "forbidden_role")
    _problem(await client.get("/v1/rates/bank", params={"base": "USD", "quote": "CNY", "side": "mid"}, headers=tenant_a.h()), 422, "validation_error")
    _problem(await client.get("/v1/rates/mid", params={"base": "USD", "quote": "CNY"}), 401, "credentials_missing")


@pytest.mark.parametrize("days_ahead", [1, 365])
async def test_a_manual_rate_dated_after_today_in_china_is_refused(client, tenant_a, days_ahead):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    ahead = (today + timedelta(days=days_ahead)).isoformat()
    r = await client.post("/v1/rates/manual", json={"base": "USD", "quote": "CNY", "rate": "7.1600", "as_of": ahead}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    p = _problem(r, 422, "invalid_rate")
    assert (p["field"], p["as_of"], p["latest"]) == ("as_of", ahead, today.isoformat())
    # nothing stored: no rate for that day
    assert (await client.get("/v1/rates/mid", params={"base": "USD", "quote": "CNY", "on": ahead}, headers=tenant_a.h())).status_code == 422
    ok = await client.post("/v1/rates/manual", json={"base": "USD", "quote": "CNY", "rate": "7.1600", "as_of": today.isoformat()}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    assert ok.status_code == 202
    assert (await approve(client, tenant_a, ok))["status"] == "executed"
