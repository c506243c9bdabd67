"""The #13 contract on the settlement routes: every list is one shape
(``data``/``has_more``/``next_cursor``, keyset cursors) and walks every row
exactly once at any page size; input is strict (ISO dates, true/false,
amounts with at most the currency's decimals, in range) and every refusal
is a 422 problem naming the field with nothing written; creating POSTs
require ``Idempotency-Key`` and replay byte for byte; amounts in another
currency than their object's are ``{"amount", "currency"}``.  On SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ledger.schema import outbox_events
from settlement.customers import open_customer
from tests.api.conftest import issue_key, submit_and_approve
from tests.api.test_payments_api import fund

PROBLEM = "application/problem+json"


def _today() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()


def _key(t, **extra):
    return t.h(**{"Idempotency-Key": str(uuid.uuid4()), **extra})


def _problem(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    if code is not None:
        assert body["code"] == code, body
    return body


async def walk(client, url: str, headers: dict, params: dict | None = None, *, expected: list[str], key=lambda x: x["id"]) -> None:
    """The list at ``url`` walked at limit 1, 2 and the default gives every
    expected row exactly once, in the same order; a bad cursor is 422."""
    orders = []
    for limit in (1, 2, None):
        seen, cursor, pages = [], None, 0
        while True:
            q = dict(params or {})
            if limit is not None:
                q["limit"] = limit
            if cursor is not None:
                q["cursor"] = cursor
            r = await client.get(url, params=q, headers=headers)
            assert r.status_code == 200, r.text
            page = r.json()
            assert set(page) == {"data", "has_more", "next_cursor"}, page
            assert limit is None or len(page["data"]) <= limit
            seen += [key(x) for x in page["data"]]
            pages += 1
            assert page["has_more"] == (page["next_cursor"] is not None)
            if not page["has_more"]:
                break
            cursor = page["next_cursor"]
            assert pages <= len(expected) + 1, "the walk does not end"
        assert len(seen) == len(set(seen)), f"{url} limit={limit}: a row seen twice"
        assert sorted(seen) == sorted(expected), f"{url} limit={limit}: {seen} != {expected}"
        orders.append(seen)
    assert orders[0] == orders[1] == orders[2]
    for bad in ("not-a-cursor", "eyJsIjoib3RoZXIiLCJrIjpbMV19"):  # the second: a cursor of another list
        _problem(await client.get(url, params={**(params or {}), "cursor": bad}, headers=headers), 422, "invalid_cursor")
    _problem(await client.get(url, params={**(params or {}), "limit": 0}, headers=headers), 422)
    _problem(await client.get(url, params={**(params or {}), "limit": 1001}, headers=headers), 422)


@pytest.fixture
async def world(app, tenant_a, tenant_b):
    stl = app.state.ctx.settlement
    out: dict = {"stl": stl}
    for t in (tenant_a, tenant_b):
        inst = t.institution_id
        for base, quote, rate in (("USD", "CNY", "7.1000"), ("EUR", "USD", "1.0800"), ("JPY", "CNY", "0.0480")):
            await stl.rates.set_manual_rate(inst, base, quote, Decimal(rate), as_of=datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date())
        m = await open_customer(stl.ledger, stl.keyring, inst, ref="MA", kind="enterprise", name="A Ltd", fx_class="A", directory_registered=True, currencies=["USD", "JPY"])
        p = await open_customer(stl.ledger, stl.keyring, inst, ref="P1", kind="individual", name="Han Meimei", id_number="110101199202023456" if t is tenant_a else "110101199202023457")
        await fund(stl, inst, m.id, 1_000_000_00)
        out[t.code] = {"m": str(m.id), "p": str(p.id)}
    return out


def receipt(customer: str, gross: str = "100.00", currency: str = "USD", **extra) -> dict:
    return {"customer_id": customer, "currency": currency, "gross": gross, "net": gross, "customs_mode": "9610", "destination_country": "DE", **extra}


def payment(customer: str, amount: str = "10.00", **extra) -> dict:
    return {"customer_id": customer, "currency": "USD", "amount": amount, "purpose": "goods", "beneficiary_name": "Supplier GmbH", "beneficiary_country": "DE", **extra}


async def _platform_key(client, t, code: str = "shopx") -> dict[str, str]:
    issued = await issue_key(client, t, {"name": code, "role": "platform", "platform_code": code})  # four eyes: active once approved
    return {"Authorization": f"Bearer {issued['key']}"}


# -- lists ---------------------------------------------------------------------------------------


async def test_receipts_payments_and_alerts_walk_every_row_once(client, tenant_a, tenant_b, world):
    m = world["bank-a"]["m"]
    receipts = [(await client.post("/v1/receipts", json=receipt(m, f"{n + 1}.00"), headers=_key(tenant_a))).json()["id"] for n in range(5)]
    await client.post("/v1/receipts", json=receipt(world["bank-b"]["m"]), headers=_key(tenant_b))  # B's: never in A's lists
    await walk(client, "/v1/receipts", tenant_a.h(), expected=receipts)
    await walk(client, "/v1/receipts", tenant_a.h(), {"customer_id": m, "status": "credited"}, expected=receipts)
    payments = [(await client.post("/v1/payments", json=payment(m, f"{n + 1}.00"), headers=_key(tenant_a))).json()["id"] for n in range(4)]
    await walk(client, "/v1/payments", tenant_a.h(), expected=payments)
    alerts = (await client.get("/v1/risk-alerts", params={"limit": 1000}, headers=tenant_a.h())).json()["data"]
    assert len(alerts) >= 9  # a receipt or payment without evidence raises one each
    await walk(client, "/v1/risk-alerts", tenant_a.h(), expected=[a["id"] for a in alerts])
    # a receipt's other-currency amount: {"amount", "currency"}
    one = (await client.get(f"/v1/receipts/{receipts[0]}", headers=tenant_a.h())).json()
    assert one["usd_equivalent"] == {"amount": "1.00", "currency": "USD"} and one["gross"] == "1.00" and one["currency"] == "USD"
    assert "_minor" not in json.dumps(alerts)


async def test_customers_accounts_and_spreads_walk_every_row_once(client, tenant_a, world):
    made = [world["bank-a"]["m"], world["bank-a"]["p"]]
    for n in range(4):
        r = await client.post("/v1/customers", json={"ref": f"W-{n}", "kind": "enterprise", "name": f"W{n} Ltd", "fx_class": "A"}, headers=_key(tenant_a))
        assert r.status_code == 201, r.text
        made.append(r.json()["id"])
    await walk(client, "/v1/customers", tenant_a.h(), expected=made)
    await walk(client, "/v1/customers", tenant_a.h(), {"kind": "enterprise"}, expected=[made[0], *made[2:]])
    accts = (await client.get(f"/v1/customers/{made[0]}/accounts", headers=tenant_a.h())).json()["data"]
    assert len(accts) == 7  # cny + (current, pending, suspense) x (USD, JPY)
    await walk(client, f"/v1/customers/{made[0]}/accounts", tenant_a.h(), expected=[a["account_id"] for a in accts], key=lambda a: a["account_id"])
    for base, quote, bp in (("USD", "CNY", 30), ("EUR", "CNY", 40), ("EUR", "USD", 20), ("JPY", "CNY", 10)):
        await submit_and_approve(client, tenant_a, await client.put("/v1/rates/spreads", json={"base": base, "quote": quote, "spread_bp": bp}, headers=_key(tenant_a)))
    await walk(client, "/v1/rates/spreads", tenant_a.h(), expected=["EUR/CNY", "EUR/USD", "JPY/CNY", "USD/CNY"], key=lambda s: f"{s['base']}/{s['quote']}")


async def test_trade_orders_and_rejects_walk_every_row_once(client, tenant_a, world):
    shop = await _platform_key(client, tenant_a)
    orders = []
    for n in range(5):
        r = await client.post("/v1/trade-data/orders", json={"external_id": f"SO-{n}", "merchant_ref": "MA", "currency": "USD", "amount": "10.00", "order_date": _today()}, headers=shop)
        assert r.status_code == 201, r.text
    orders = [o["id"] for o in (await client.get("/v1/trade-data/orders", params={"limit": 1000}, headers=tenant_a.h())).json()["data"]]
    assert len(orders) == 5
    await walk(client, "/v1/trade-data/orders", tenant_a.h(), expected=orders)
    bad = [{"external_id": f"BAD-{n}", "merchant_ref": "NOPE", "currency": "USD", "amount": "1.00", "order_date": _today()} for n in range(4)]
    r = await client.post("/v1/trade-data/orders/bulk", json={"records": bad}, headers=shop)
    assert r.status_code == 200 and r.json()["rejected_total"] == 4, r.text
    rejects = [x["id"] for x in (await client.get("/v1/trade-data/rejects", params={"limit": 1000}, headers=tenant_a.h())).json()["data"]]
    assert len(rejects) == 4
    await walk(client, "/v1/trade-data/rejects", tenant_a.h(), expected=rejects)


async def test_advances_cycles_and_obligations_walk_every_row_once(app, client, tenant_a, world):
    advances = []
    for n in range(5):
        body = {"merchant_ref": "M001", "provider_ref": "sf-express", "kind": "logistics", "currency": "USD", "amount": f"{n + 1}.00", "advance_date": f"2026-01-0{n + 1}"}
        r = await client.post("/v1/advances", json=body, headers=_key(tenant_a))
        assert r.status_code == 201, r.text
        advances.append(r.json()["id"])
    await walk(client, "/v1/advances", tenant_a.h(), expected=advances)
    cycles = []
    for n in range(4):
        r = await client.post("/v1/netting/cycles", json={"reference": f"day-{n}", "ledger_id": tenant_a.ledger_id}, headers=_key(tenant_a))
        assert r.status_code == 201, r.text
        cycles.append(r.json()["id"])
    await walk(client, "/v1/netting/cycles", tenant_a.h(), expected=cycles)
    acc = tenant_a.accounts
    obligations = [{"payer_account_id": acc["bank"], "payee_account_id": acc["merchant"], "amount": f"{n + 1}.00", "currency": "USD"} for n in range(5)]
    r = await client.post(f"/v1/netting/cycles/{cycles[0]}/obligations", json={"obligations": obligations}, headers=_key(tenant_a))
    assert r.status_code == 200, r.text
    listed = (await client.get(f"/v1/netting/cycles/{cycles[0]}/obligations", headers=tenant_a.h())).json()["data"]
    assert [o["amount"] for o in listed] == ["1.00", "2.00", "3.00", "4.00", "5.00"]
    await walk(client, f"/v1/netting/cycles/{cycles[0]}/obligations", tenant_a.h(), expected=[o["id"] for o in listed])


# -- idempotency ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, body, other",
    [
        ("/v1/customers", {"ref": "IK-1", "kind": "enterprise", "name": "IK Ltd", "fx_class": "A"}, {"ref": "IK-2", "kind": "enterprise", "name": "IK Ltd", "fx_class": "A"}),
        ("/v1/rates/manual", {"base": "USD", "quote": "CNY", "rate": "7.2000"}, {"base": "USD", "quote": "CNY", "rate": "7.3000"}),
        ("/v1/netting/cycles", {"reference": "ik-1"}, {"reference": "ik-2"}),
    ],
)
async def test_creating_posts_require_an_idempotency_key_and_replay_byte_for_byte(client, tenant_a, url, body, other):
    _problem(await client.post(url, json=body, headers=tenant_a.h()), 400, "idempotency_key_missing")
    created = 202 if url == "/v1/rates/manual" else 201  # a manual rate is a four-eyes request
    first = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": "ik"}))
    assert first.status_code == created, first.text
    again = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": "ik"}))
    assert again.status_code == created and again.content == first.content
    _problem(await client.post(url, json=other, headers=tenant_a.h(**{"Idempotency-Key": "ik"})), 422)


# -- strict input --------------------------------------------------------------------------------


async def _counts(client, t) -> tuple:
    lists = ("/v1/receipts", "/v1/payments", "/v1/customers", "/v1/netting/cycles", "/v1/advances", "/v1/risk-alerts", "/v1/trade-data/orders")
    out = []
    for u in lists:
        out.append(len((await client.get(u, params={"limit": 1000}, headers=t.h())).json()["data"]))
    return tuple(out)


async def test_dates_booleans_and_integers_are_strict_and_refusals_write_nothing(client, tenant_a, world):
    m = world["bank-a"]["m"]
    before = await _counts(client, tenant_a)
    cases = [
        ("/v1/receipts", receipt(m, value_date=0), "value_date"),
        ("/v1/receipts", receipt(m, value_date="0"), "value_date"),
        ("/v1/receipts", receipt(m, value_date=1), "value_date"),
        ("/v1/receipts", receipt(m, value_date="2026-1-5"), "value_date"),
        ("/v1/receipts", receipt(m, value_date="2026-12-01T00:00:00Z"), "value_date"),
        ("/v1/payments", payment(m, value_date=0), "value_date"),
        ("/v1/conversions", {"customer_id": world["bank-a"]["p"], "direction": "settle", "currency": "USD", "amount": "1.00", "value_time": 0}, "value_time"),
        ("/v1/conversions", {"customer_id": world["bank-a"]["p"], "direction": "settle", "currency": "USD", "amount": "1.00", "value_time": "2026-12-01"}, "value_time"),
        ("/v1/conversions", {"customer_id": world["bank-a"]["p"], "direction": "settle", "currency": "USD", "amount": "1.00", "value_time": "2026-12-01T10:00:00"}, "value_time"),
        ("/v1/customers", {"ref": "S-1", "kind": "enterprise", "name": "S", "fx_class": "A", "registered_on": 0}, "registered_on"),
        ("/v1/customers", {"ref": "S-1", "kind": "enterprise", "name": "S", "fx_class": "A", "registered_on": "0"}, "registered_on"),
        ("/v1/customers", {"ref": "S-1", "kind": "enterprise", "name": "S", "fx_class": "A", "directory_registered": 1}, "directory_registered"),
        ("/v1/customers", {"ref": "S-1", "kind": "enterprise", "name": "S", "fx_class": "A", "directory_registered": "true"}, "directory_registered"),
        ("/v1/netting/cycles", {"reference": "s", "business_date": 0}, "business_date"),
        ("/v1/netting/cycles", {"reference": "s", "business_date": "0"}, "business_date"),
        ("/v1/advances", {"merchant_ref": "M1", "provider_ref": "sf", "kind": "logistics", "currency": "USD", "amount": "1.00", "advance_date": 0}, "advance_date"),
        ("/v1/netting/partner-bank-settlements", {"partner_bank_ref": "icbc", "business_date": 1, "flows": []}, "business_date"),
    ]
    for url, body, field in cases:
        p = _problem(await client.post(url, json=body, headers=_key(tenant_a)), 422, "validation_error")
        assert any(field in e["location"] for e in p["errors"]), (url, body, p)
    cid = world["bank-a"]["m"]
    for url, body, field in [
        (f"/v1/customers/{cid}/registration", {"registered_on": 0}, "registered_on"),
        (f"/v1/customers/{cid}/due-diligence", {"checked_on": "0"}, "checked_on"),
        (f"/v1/customers/{cid}/negative-list", {"listed": 1}, "listed"),
        (f"/v1/customers/{cid}/negative-list", {"listed": 0}, "listed"),
        ("/v1/rates/manual", {"base": "USD", "quote": "CNY", "rate": "7.1", "as_of": 0}, "as_of"),
        ("/v1/rates/refresh", {"since": "0"}, "since"),
        ("/v1/advances/overdue-sweep", {"as_of": 0}, "as_of"),
    ]:
        p = _problem(await client.post(url, json=body, headers=_key(tenant_a)), 422, "validation_error")
        assert any(field in e["location"] for e in p["errors"]), (url, body, p)
    for bp in ("50", 50.5, True):  # 50.0 is the integer 50 (JSON Schema)
        _problem(await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "CNY", "spread_bp": bp}, headers=_key(tenant_a)), 422, "validation_error")
    for url, params in [
        ("/v1/monitoring/receipts", {"date_from": "0", "date_to": _today()}),
        ("/v1/monitoring/payments", {"date_from": _today(), "date_to": "1"}),
        ("/v1/monitoring/conversions", {"date_from": "2026-1-1", "date_to": _today()}),
        ("/v1/rates/mid", {"base": "USD", "quote": "CNY", "on": "0"}),
        ("/v1/advances", {"flagged": "1"}),
        ("/v1/advances", {"as_of": "0"}),
    ]:
        _problem(await client.get(url, params=params, headers=tenant_a.h()), 422, "validation_error")
    assert (await client.get(f"/v1/customers/{cid}", headers=tenant_a.h())).json()["negative_listed"] is False
    assert (await client.get("/v1/rates/spreads", headers=tenant_a.h())).json()["data"] == []
    assert await _counts(client, tenant_a) == before


async def test_amounts_are_strict_and_in_range_and_refusals_write_nothing(client, tenant_a, world):
    m = world["bank-a"]["m"]
    before = await _counts(client, tenant_a)
    huge = "99999999999999999"  # beyond USD 9,999,999,999,999.99
    cases = [
        ("/v1/receipts", receipt(m, "10.000"), "invalid_amount", "gross"),
        ("/v1/receipts", receipt(m, "100.0", currency="JPY"), "invalid_amount", "gross"),
        ("/v1/receipts", receipt(m, huge), "amount_out_of_range", "gross"),
        ("/v1/receipts", receipt(m, "0"), "validation_error", "gross"),  # zero is outside the documented pattern
        ("/v1/receipts", receipt(m, "100.00", fees={"tax": "1.001"}, net="98.999"), "invalid_amount", "fees.tax"),
        ("/v1/receipts", receipt(m, "100.00", declared_value="1.234"), "invalid_amount", "declared_value"),
        ("/v1/payments", payment(m, "10.000"), "invalid_amount", "amount"),
        ("/v1/payments", payment(m, huge), "amount_out_of_range", "amount"),
        ("/v1/conversions", {"customer_id": world["bank-a"]["p"], "direction": "settle", "currency": "USD", "amount": "1.001"}, "invalid_amount", "amount"),
        ("/v1/advances", {"merchant_ref": "M1", "provider_ref": "sf", "kind": "logistics", "currency": "JPY", "amount": "100.0", "advance_date": "2026-01-05"}, "invalid_amount", "amount"),
        ("/v1/advances", {"merchant_ref": "M1", "provider_ref": "sf", "kind": "logistics", "currency": "USD", "amount": huge, "advance_date": "2026-01-05"}, "amount_out_of_range", "amount"),
        ("/v1/netting/partner-bank-settlements", {"partner_bank_ref": "icbc", "business_date": _today(), "flows": [{"direction": "from_bank", "currency": "USD", "amount": "1.001"}]}, "invalid_amount", "flows[0].amount"),
    ]
    for url, body, code, field in cases:
        p = _problem(await client.post(url, json=body, headers=_key(tenant_a)), 422, code)
        assert field in json.dumps(p), (url, p)
    cycle = (await client.post("/v1/netting/cycles", json={"reference": "strict"}, headers=_key(tenant_a))).json()["id"]
    acc = tenant_a.accounts
    # zero is outside the documented pattern: the schema refuses it (validation_error at body.obligations.0.amount)
    for amount, code, where in (("1.001", "invalid_amount", "obligations[0].amount"), (huge, "amount_out_of_range", "obligations[0].amount"), ("0", "validation_error", "obligations.0.amount")):
        ob = {"payer_account_id": acc["bank"], "payee_account_id": acc["merchant"], "amount": amount, "currency": "USD"}
        p = _problem(await client.post(f"/v1/netting/cycles/{cycle}/obligations", json={"obligations": [ob]}, headers=_key(tenant_a)), 422, code)
        assert where in json.dumps(p)
    assert (await client.get(f"/v1/netting/cycles/{cycle}/obligations", headers=tenant_a.h())).json()["data"] == []
    shop = await _platform_key(client, tenant_a)
    for amount, currency, code in (("10.000", "USD", "invalid_amount"), ("100.0", "JPY", "invalid_amount"), (huge, "USD", "amount_out_of_range")):
        rec = {"external_id": f"X-{code}-{currency}", "merchant_ref": "MA", "currency": currency, "amount": amount, "order_date": _today()}
        _problem(await client.post("/v1/trade-data/orders", json=rec, headers=shop), 422, code)
        _problem(await client.post("/v1/trade-data/orders", json={**rec, "amount": "1.00", "order_date": 0}, headers=shop), 422, "validation_error")
        # the bulk route holds the bad record and takes the others
        r = await client.post("/v1/trade-data/orders/bulk", json={"records": [rec]}, headers=shop)
        assert r.status_code == 200 and r.json()["rejected_total"] == 1 and r.json()["inserted"] == 0, r.text
    after = await _counts(client, tenant_a)
    assert after[:3] == before[:3] and after[4:] == before[4:] and after[3] == before[3] + 1  # only the cycle opened on purpose


async def test_settlement_config_limits_are_usd_decimal_strings(client, tenant_a):
    cfg = (await client.get("/v1/settlement/config", headers=tenant_a.h())).json()
    assert (cfg["currency"], cfg["individual_annual_quota_usd"], cfg["registration_threshold_usd"]) == ("USD", "50000.00", "200000.00")
    assert "_minor" not in json.dumps(cfg)
    refused = _problem(await client.put("/v1/settlement/config", json={"overrides": {"customer_annual_quota_usd": 2_000_000}}, headers=tenant_a.h()), 422, "looser_than_national")
    assert (refused["national_value"], refused["currency"]) == ("50000.00", "USD")
    ok = await client.put("/v1/settlement/config", json={"overrides": {"customer_annual_quota_usd": "20000.00"}}, headers=tenant_a.h())
    assert ok.status_code == 200 and ok.json()["customer_annual_quota_usd"] == "20000.00"


# -- tenancy -------------------------------------------------------------------------------------


async def test_another_institutions_receipts_payments_and_conversions_are_404_and_unchanged(client, tenant_a, tenant_b, world):
    b = world["bank-b"]
    rc = (await client.post("/v1/receipts", json=receipt(b["m"]), headers=_key(tenant_b))).json()
    pm = (await client.post("/v1/payments", json=payment(b["m"]), headers=_key(tenant_b))).json()
    cv = await client.post("/v1/conversions", json={"customer_id": b["p"], "direction": "settle", "currency": "USD", "amount": "0.01"}, headers=_key(tenant_b))
    for url in (f"/v1/receipts/{rc['id']}", f"/v1/payments/{pm['id']}", f"/v1/customers/{b['m']}/quota", f"/v1/customers/{b['m']}/accounts"):
        _problem(await client.get(url, headers=tenant_a.h()), 404)
    if cv.status_code == 201:
        _problem(await client.get(f"/v1/conversions/{cv.json()['id']}", headers=tenant_a.h()), 404)
    _problem(await client.post(f"/v1/receipts/{rc['id']}/release", json={"note": "n"}, headers=_key(tenant_a)), 404)
    _problem(await client.post(f"/v1/payments/{pm['id']}/release", json={"note": "n"}, headers=_key(tenant_a)), 404)
    _problem(await client.post("/v1/receipts", json=receipt(b["m"]), headers=_key(tenant_a)), 404)
    _problem(await client.post("/v1/payments", json=payment(b["m"]), headers=_key(tenant_a)), 404)
    assert (await client.get(f"/v1/receipts/{rc['id']}", headers=tenant_b.h())).json()["status"] == rc["status"]
    assert (await client.get("/v1/receipts", headers=tenant_a.h())).json()["data"] == []
    assert (await client.get("/v1/payments", headers=tenant_a.h())).json()["data"] == []


async def test_events_and_alerts_carry_decimal_strings_never_minor_units(app, client, tenant_a, world):
    m, p = world["bank-a"]["m"], world["bank-a"]["p"]
    assert (await client.post("/v1/receipts", json=receipt(m, "1234.50"), headers=_key(tenant_a))).status_code == 201
    assert (await client.post("/v1/payments", json=payment(m, "10.00"), headers=_key(tenant_a))).status_code == 201
    conv = await client.post("/v1/conversions", json={"customer_id": p, "direction": "purchase", "currency": "USD", "amount": "100.00"}, headers=_key(tenant_a))
    assert conv.status_code in (201, 422), conv.text
    if conv.status_code == 201:
        out = conv.json()
        assert (out["amount"], out["currency"], out["cny"]["currency"], out["usd_equivalent"]) == ("100.00", "USD", "CNY", {"amount": "100.00", "currency": "USD"})
        assert Decimal(out["cny"]["amount"]) > 700
    stl = world["stl"]
    async with stl.ledger.engine.connect() as conn:
        rows = (await conn.execute(select(outbox_events.c.type, outbox_events.c.payload).where(outbox_events.c.institution_id == tenant_a.institution_id))).all()
    mine = [(t, pl) for t, pl in rows if t.split(".")[0] in ("receipt", "payment", "conversion", "risk_alert", "advance", "netting", "customer", "trade_data")]
    assert mine and "_minor" not in json.dumps([pl for _, pl in mine])
    credited = [pl for t, pl in mine if t == "receipt.credited"]
    assert credited and (credited[0]["gross"], credited[0]["currency"]) == ("1234.50", "USD")
    alerts = (await client.get("/v1/risk-alerts", headers=tenant_a.h())).json()["data"]
    assert alerts and "_minor" not in json.dumps(alerts)


def test_every_request_body_of_the_settlement_routes_has_an_example_the_model_accepts():
    from pydantic import BaseModel

    from api.routers import customers, netting, payments, rates, receipts, tradedata

    checked = 0
    for module in (receipts, payments, rates, customers, tradedata, netting):
        for name, obj in vars(module).items():
            if not (isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__ and obj.model_config.get("extra") == "forbid"):
                continue
            if name in ("Strict", "_Strict", "Fees", "ObligationIn", "PartnerFlowIn", "ReviewBody") and not (obj.model_config.get("json_schema_extra") or {}).get("examples"):
                continue  # bases and nested parts (shown inside their parent's example)
            examples = (obj.model_config.get("json_schema_extra") or {}).get("examples")
            assert examples, f"{module.__name__}.{name} has no example"
            for ex in examples:
                obj.model_validate(ex)
                checked += 1
    assert checked >= 25
