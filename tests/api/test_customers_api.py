"""Customers and trade-data routes through real HTTP semantics: roles,
personal data in clear only for system/admin, tenancy, idempotent intake,
bulk and streamed files, held rejects."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.api.conftest import issue_key

PROBLEM = "application/problem+json"
ID_NUMBER = "110101199003077777"


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code
    return body


async def _customer(client, t, **over) -> dict:
    body = {"ref": "M001", "kind": "enterprise", "name": "Shenzhen Widgets Ltd", "id_number": "91440300MA5XXXXX1A", "phone": "13812345678", "fx_class": "A", "currencies": ["USD"]}
    body.update(over)
    r = await client.post("/v1/customers", json=body, headers=t.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    assert r.status_code == 201, r.text
    return r.json()


async def _platform_key(client, t, code: str = "shopx") -> dict[str, str]:
    issued = await issue_key(client, t, {"name": code, "role": "platform", "platform_code": code})  # four eyes: active once approved
    return {"Authorization": f"Bearer {issued['key']}"}


async def test_customers_open_with_accounts_and_personal_data_is_clear_only_for_system_and_admin(client, tenant_a):
    c = await _customer(client, tenant_a, ref="P1", kind="individual", name="Li Xiaoming", id_number=ID_NUMBER, fx_class=None, currencies=["USD", "EUR"])
    # the creation response (kept for Idempotency-Key replays) is masked; reads show it in clear to system and admins
    assert c["personal_data"] == {"name": "L********", "id_number": "110***********7777", "phone": "138****5678", "masked": True}
    url = f"/v1/customers/{c['id']}"
    assert (await client.get(url, headers=tenant_a.h())).json()["personal_data"] == {"name": "Li Xiaoming", "id_number": ID_NUMBER, "phone": "13812345678", "masked": False}
    assert (await client.get(url, headers=tenant_a.as_user("admin"))).json()["personal_data"]["id_number"] == ID_NUMBER
    for role in ("finance", "approver"):
        pd = (await client.get(url, headers=tenant_a.as_user(role))).json()["personal_data"]
        assert pd == {"name": "L********", "id_number": "110***********7777", "phone": "138****5678", "masked": True}
    _problem(await client.get(url, headers=tenant_a.as_user("sme")), 403, "forbidden_role")
    _problem(await client.post("/v1/customers", json={"ref": "X", "kind": "individual", "name": "n", "id_number": "1"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": str(uuid.uuid4())})), 403, "forbidden_role")
    accts = (await client.get(f"{url}/accounts", headers=tenant_a.as_user("finance"))).json()["data"]
    assert [(a["kind"], a["currency"]) for a in accts] == [("cny", "CNY"), ("current", "EUR"), ("current", "USD"), ("pending", "EUR"), ("pending", "USD"), ("suspense", "EUR"), ("suspense", "USD")]
    found = (await client.post("/v1/customers/search", json={"id_number": "1101 0119 9003 077777"}, headers=tenant_a.as_user("finance"))).json()
    assert [x["id"] for x in found["data"]] == [c["id"]] and found["data"][0]["personal_data"]["masked"]
    listed = (await client.get("/v1/customers", params={"ref": "P1"}, headers=tenant_a.h())).json()
    assert [x["id"] for x in listed["data"]] == [c["id"]]
    _problem(await client.post("/v1/customers", json={"ref": "P1", "kind": "enterprise", "name": "n", "fx_class": "A"}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())})), 409, "duplicate_code")
    _problem(await client.post("/v1/customers", json={"ref": "P2", "kind": "enterprise", "name": "n"}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())})), 422, "customer_rule")


async def test_customer_updates_are_audited_and_another_institutions_customer_is_404(client, tenant_a, tenant_b):
    c = await _customer(client, tenant_a)
    base = f"/v1/customers/{c['id']}"
    r = await client.post(f"{base}/fx-class", json={"fx_class": "B"}, headers=tenant_a.as_user("admin"))
    assert r.status_code == 200 and r.json()["fx_class"] == "B"
    r = await client.post(f"{base}/registration", json={"registered_on": "2026-03-01"}, headers=tenant_a.h())
    assert (r.json()["directory_registered"], r.json()["registered_on"]) == (True, "2026-03-01")
    r = await client.post(f"{base}/negative-list", json={"listed": True, "reason": "court order"}, headers=tenant_a.h())
    assert r.json()["negative_listed"] and r.json()["negative_list_reason"] == "court order"
    r = await client.post(f"{base}/currencies", json={"currency": "JPY"}, headers=tenant_a.h())
    assert r.json()["currencies"] == ["USD", "JPY"]
    r = await client.post(f"{base}/due-diligence", json={}, headers=tenant_a.h())
    assert r.json()["due_diligence_on"]
    _problem(await client.post(f"{base}/fx-class", json={"fx_class": "A"}, headers=tenant_a.as_user("finance")), 403, "forbidden_role")
    log = (await client.get("/v1/audit-log", params={"object_id": c["id"]}, headers=tenant_a.h())).json()["data"]
    actions = [x["action"] for x in log]
    for action in ("customer.open", "customer.set_fx_class", "customer.record_registration", "customer.set_negative_list", "customer.add_currency", "customer.record_due_diligence"):
        assert action in actions
    assert all(ID_NUMBER not in json.dumps(x) and "Widgets" not in json.dumps(x) for x in log)
    # B cannot see or change A's customer: 404, exactly like an unknown id
    for method, path, body in [
        ("GET", base, None), ("GET", f"{base}/accounts", None), ("POST", f"{base}/fx-class", {"fx_class": "C"}),
        ("POST", f"{base}/registration", {}), ("POST", f"{base}/negative-list", {"listed": False}), ("POST", f"{base}/currencies", {"currency": "EUR"}),
        ("POST", f"{base}/due-diligence", {}),
    ]:
        _problem(await client.request(method, path, json=body, headers=tenant_b.h()), 404, "customer_not_found")
    # the empty body a route table walk sends is refused for the id first
    _problem(await client.post(f"{base}/fx-class", json={}, headers=tenant_b.h()), 404, "customer_not_found")
    assert (await client.get("/v1/customers", params={"ref": "M001"}, headers=tenant_b.h())).json()["data"] == []
    assert (await client.post("/v1/customers/search", json={"id_number": "91440300MA5XXXXX1A"}, headers=tenant_b.h())).json()["data"] == []


async def test_platforms_push_trade_data_idempotently_and_staff_read_the_match(client, tenant_a, tenant_b):
    await _customer(client, tenant_a)
    shop = await _platform_key(client, tenant_a)
    order = {"external_id": "SO-1", "merchant_ref": "M001", "currency": "USD", "amount": "100.00", "order_date": "2026-03-01", "customs_mode": "9610"}
    r = await client.post("/v1/trade-data/orders", json=order, headers=shop)
    assert r.status_code == 201, r.text
    assert (r.json()["inserted"], r.json()["platform_code"], r.json()["match"]) == (1, "shopx", {"partial": 1})
    again = await client.post("/v1/trade-data/orders", json=order, headers=shop)
    assert again.status_code == 200 and (again.json()["inserted"], again.json()["duplicates"]) == (0, 1)
    r = await client.post("/v1/trade-data/waybills", json={"external_id": "WB-1", "order_external_id": "SO-1", "merchant_ref": "M001", "shipped_on": "2026-03-03"}, headers=shop)
    assert r.json()["match"] == {"partial": 1}
    r = await client.post("/v1/trade-data/payments", json={"external_id": "PAY-1", "order_external_id": "SO-1", "merchant_ref": "M001", "currency": "USD", "amount": "100.40", "paid_on": "2026-03-02"}, headers=shop)
    assert r.json()["match"] == {"matched": 1}
    body = _problem(await client.post("/v1/trade-data/refunds", json={"external_id": "RF-1", "order_external_id": "SO-404", "currency": "USD", "amount": "1.00"}, headers=shop), 422, "trade_record_rejected")
    assert body["reason"] == "unknown order 'SO-404'"
    r = await client.post("/v1/trade-data/refunds", json={"external_id": "RF-2", "order_external_id": "SO-1", "currency": "USD", "amount": "30.00", "kind": "return"}, headers=shop)
    assert r.status_code == 201
    # platforms write only: no reading, no other platform, no ledger
    _problem(await client.get("/v1/trade-data/orders", headers=shop), 403, "forbidden_role")
    _problem(await client.post("/v1/trade-data/orders", params={"platform": "other"}, json=order, headers=shop), 403, "forbidden_platform")
    # staff read the match; the system key names the platform when it pushes
    _problem(await client.post("/v1/trade-data/orders", json=order, headers=tenant_a.as_user("finance")), 403, "forbidden_role")
    _problem(await client.post("/v1/trade-data/orders", json=order, headers=tenant_a.h()), 422, "platform_required")
    listed = (await client.get("/v1/trade-data/orders", params={"match_status": "matched"}, headers=tenant_a.as_user("finance"))).json()
    assert [(o["external_id"], o["amount"], o["refunded"], o["effective_value"]) for o in listed["data"]] == [("SO-1", "100.00", "30.00", "70.00")]
    oid = listed["data"][0]["id"]
    detail = (await client.get(f"/v1/trade-data/orders/{oid}", headers=tenant_a.as_user("approver"))).json()
    assert (detail["match_status"], detail["match_reason"], detail["customs_mode"]) == ("matched", None, "9610")
    assert [w["external_id"] for w in detail["waybills"]] == ["WB-1"] and detail["payments"][0]["amount"] == "100.40"
    assert [(x["external_id"], x["applied"]) for x in detail["refunds"]] == [("RF-2", "30.00")] and detail["claimed_as_evidence"] == "0.00"
    _problem(await client.get(f"/v1/trade-data/orders/{oid}", headers=tenant_b.h()), 404, "order_not_found")
    assert (await client.get("/v1/trade-data/orders", headers=tenant_b.h())).json()["data"] == []
    rejects = (await client.get("/v1/trade-data/rejects", headers=tenant_a.h())).json()["data"]
    assert [(x["kind"], x["external_id"], x["reason"]) for x in rejects] == [("refunds", "RF-1", "unknown order 'SO-404'")]
    assert json.loads(rejects[0]["raw"])["order_external_id"] == "SO-404"
    assert (await client.post("/v1/trade-data/match", json={}, headers=tenant_a.as_user("finance"))).json() == {"match": {"matched": 1}}


async def test_bulk_calls_hold_bad_records_and_are_capped_at_10000(client, tenant_a):
    await _customer(client, tenant_a)
    records = [{"external_id": f"B-{i}", "merchant_ref": "M001", "currency": "USD", "amount": "10.00", "order_date": "2026-03-01"} for i in range(5)]
    records[2]["amount"] = 10.5  # a JSON float: never
    records[3]["merchant_ref"] = "NOPE"
    r = await client.post("/v1/trade-data/orders/bulk", params={"platform": "shopx"}, json={"records": records}, headers=tenant_a.h())
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["inserted"], out["duplicates"], out["rejected_total"]) == (3, 0, 2)
    assert [x["position"] for x in out["rejected"]] == [2, 3] and "never floats" in out["rejected"][0]["reason"]
    r = await client.post("/v1/trade-data/orders/bulk", params={"platform": "shopx"}, json={"records": records}, headers=tenant_a.h())
    assert (r.json()["inserted"], r.json()["duplicates"]) == (0, 3)
    body = _problem(await client.post("/v1/trade-data/orders/bulk", params={"platform": "shopx"}, json={"records": [records[0]] * 10_001}, headers=tenant_a.h()), 422, "validation_error")
    assert "10000" in body["detail"]


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
async def test_files_stream_as_raw_ndjson_chunked_or_as_a_multipart_csv_upload(client, tenant_a):
    await _customer(client, tenant_a)
    shop = await _platform_key(client, tenant_a)
    lines = [json.dumps({"external_id": f"F-{i}", "merchant_ref": "M001", "currency": "USD", "amount": "5.00", "order_date": "2026-03-01"}) for i in range(3000)]
    lines.insert(10, "{broken")

    async def chunks():  # no Content-Length: streamed
        for i in range(0, len(lines), 500):
            yield ("\n".join(lines[i : i + 500]) + "\n").encode()

    r = await client.post("/v1/trade-data/orders/file", content=chunks(), headers={**shop, "Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["inserted"], out["rejected_total"]) == (3000, 1) and "line 11: malformed JSON" in out["rejected"][0]["reason"]
    csv_text = "external_id,order_external_id,merchant_ref,currency,amount,paid_on\nP-0,F-0,M001,USD,5.00,2026-03-02\nP-1,F-1,M001,USD,5.00,2026-02-27\n"
    r = await client.post("/v1/trade-data/payments/file", files={"file": ("payments.csv", csv_text.encode(), "text/csv")}, headers=shop)
    assert r.status_code == 200, r.text
    assert (r.json()["inserted"], r.json()["match"]) == (2, {"mismatched": 1, "partial": 1})
    r = await client.post("/v1/trade-data/waybills/file", content=b"\x00\xff garbage", headers={**shop, "Content-Type": "text/csv"})
    assert r.status_code in (200, 422) and r.headers["content-type"].startswith(("application/json", PROBLEM))
    # the form has one field, `file` (the schema says so); nothing is stored from a refused form
    extra = await client.post("/v1/trade-data/payments/file", files={"file": ("p.csv", csv_text.replace("P-", "Q-").encode(), "text/csv")}, data={"note": "x"}, headers=shop)
    _problem(extra, 422, "invalid_input")
    # the platform is named once: a repeated query parameter is refused, not the last value taken
    _problem(await client.post("/v1/trade-data/payments/file?platform=a&platform=b", files={"file": ("p.csv", csv_text.encode(), "text/csv")}, headers=tenant_a.h()), 422, "invalid_input")
    _problem(await client.post("/v1/trade-data/payments/bulk", json={"records": [{"external_id": "P-9"}]}, headers=tenant_a.h()), 422, "platform_required")


async def test_route_table_walk_finds_no_foreign_ids(client, tenant_a, tenant_b, app):
    """The ids of B's customer and order answer 404 to A on every route that takes them."""
    c = await _customer(client, tenant_b)
    shop = await _platform_key(client, tenant_b)
    await client.post("/v1/trade-data/orders", json={"external_id": "SO-1", "merchant_ref": "M001", "currency": "USD", "amount": "1.00", "order_date": "2026-03-01"}, headers=shop)
    oid = (await client.get("/v1/trade-data/orders", headers=tenant_b.h())).json()["data"][0]["id"]
    samples = {"customer_id": c["id"], "order_id": oid}
    checked = 0
    for path, operations in app.openapi()["paths"].items():
        for method, op in operations.items():
            if "{" not in path or not {"customers", "trade-data"} & set(op.get("tags", ())):
                continue
            r = await client.request(method.upper(), path.format(**samples), json={} if method == "post" else None, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}))
            assert r.status_code == 404, f"{method} {path}: {r.status_code} {r.text}"
            checked += 1
    assert checked >= 8
