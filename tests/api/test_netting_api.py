"""Advances (S4) and netting cycles (S7, S8) over HTTP: roles, idempotency,
problems, tenancy, and the numbers."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .conftest import approve, submit_and_approve, transfer

PROBLEM = "application/problem+json"


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["status"] == status
    return body


def _k(t, key: str | None = None, role: str | None = None) -> dict[str, str]:
    extra = {"Idempotency-Key": key or str(uuid.uuid4())}
    return t.as_user(role, **extra) if role else t.h(**extra)


def _advance(merchant="M001", provider="sf-express", amount="100.00", day=None, **kw) -> dict:
    return {
        "merchant_ref": merchant, "provider_ref": provider, "kind": "logistics", "currency": "USD", "amount": amount,
        "advance_date": (day or date(2026, 1, 5)).isoformat(), **kw,
    }


async def _account(client, t, code: str, currency: str, type_: str = "liability", **flags) -> str:
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": code, "currency": currency, "type": type_, **flags}, headers=t.h(**{"Idempotency-Key": f"acct-{code}"}))
    assert r.status_code == 201, r.text
    t.accounts[code] = r.json()["id"]
    return t.accounts[code]


async def _fund(client, t, code: str, amount: str, currency: str, bank: str) -> None:
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, bank, code, amount, currency), headers=_k(t))
    assert r.status_code == 201, r.text


async def test_advances_are_recorded_listed_with_aging_and_the_12_month_flag_and_settled(client, tenant_a):
    t = tenant_a
    today = date.today()
    old_day = today.replace(day=1) - timedelta(days=400)
    _problem(await client.post("/v1/advances", json=_advance(), headers=t.h()), 400, "idempotency_key_missing")
    _problem(await client.post("/v1/advances", json=_advance(amount="1.001"), headers=_k(t)), 422, "invalid_amount")
    _problem(await client.post("/v1/advances", json=_advance(), headers=_k(t, role="approver")), 403, "forbidden_role")
    r = await client.post("/v1/advances", json=_advance(amount="250.00", day=old_day, kind="tax"), headers=_k(t, "a-1", "finance"))
    assert r.status_code == 201, r.text
    old = r.json()
    again = await client.post("/v1/advances", json=_advance(amount="250.00", day=old_day, kind="tax"), headers=_k(t, "a-1", "finance"))
    assert again.content == r.content and again.headers["Idempotent-Replayed"] == "true"
    recent = (await client.post("/v1/advances", json=_advance(amount="40.00", day=today - timedelta(days=10), provider="cainiao"), headers=_k(t))).json()
    assert (old["amount"], old["outstanding"], old["status"], old["kind"]) == ("250.00", "250.00", "outstanding", "tax")

    listing = (await client.get("/v1/advances", headers=t.as_user("approver"))).json()
    by_id = {x["id"]: x for x in listing["data"]}
    assert by_id[old["id"]]["flagged"] is True and by_id[old["id"]]["bucket"] == ">365"
    assert by_id[recent["id"]]["flagged"] is False and by_id[recent["id"]]["bucket"] == "0-30"
    aging = (await client.get("/v1/advances/aging", headers=t.as_user("approver"))).json()
    assert aging["as_of"] == datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert aging["flagged_count"] == 1 and aging["flagged"] == [{"currency": "USD", "outstanding": "250.00"}]
    buckets = {b["bucket"]: (b["count"], b["outstanding"]) for b in aging["buckets"]}
    assert buckets == {"0-30": (1, "40.00"), "31-90": (0, "0.00"), "91-180": (0, "0.00"), "181-365": (0, "0.00"), ">365": (1, "250.00")}
    only = (await client.get("/v1/advances", params={"flagged": "true"}, headers=t.h())).json()
    assert [x["id"] for x in only["data"]] == [old["id"]]

    url = f"/v1/advances/{old['id']}/settle"
    _problem(await client.post(url, json={"amount": "10.00"}, headers=t.h()), 400, "idempotency_key_missing")
    part = await client.post(url, json={"amount": "100.00", "reference": "paid-direct"}, headers=_k(t, "s-1"))
    assert part.status_code == 200, part.text
    assert (part.json()["outstanding"], part.json()["settled"], part.json()["status"]) == ("150.00", "100.00", "outstanding")
    replay = await client.post(url, json={"amount": "100.00", "reference": "paid-direct"}, headers=_k(t, "s-1"))
    assert replay.content == part.content
    # the advance's currency is not in the request: more decimals than it has is a rule of the advance
    precise = _problem(await client.post(url, json={"amount": "1.001"}, headers=_k(t)), 422, "amount_precision")
    assert (precise["currency"], precise["amount"]) == ("USD", "1.001")
    over = _problem(await client.post(url, json={"amount": "150.01"}, headers=_k(t)), 422, "advance_settlement_exceeds_outstanding")
    assert (over["outstanding"], over["requested"], over["currency"]) == ("150.00", "150.01", "USD")
    rest = (await client.post(url, json={}, headers=_k(t))).json()
    assert (rest["outstanding"], rest["status"]) == ("0.00", "settled")
    detail = (await client.get(f"/v1/advances/{old['id']}", headers=t.h())).json()
    assert [(s["amount"], s["source"]) for s in detail["settlements"]] == [("100.00", "outside"), ("150.00", "outside")]
    assert detail["flagged"] is False and detail["bucket"] is None
    sweep = (await client.post("/v1/advances/overdue-sweep", json={}, headers=t.h())).json()
    assert sweep["flagged"] == []
    _problem(await client.get(f"/v1/advances/{uuid.uuid4()}", headers=t.h()), 404, "advance_not_found")


async def test_a_netting_cycle_over_http_nets_positions_into_the_fewest_instructions_and_posts_once(client, tenant_a):
    t = tenant_a
    for name in ("m1", "m2", "p"):
        await _account(client, t, f"{name}_usd", "USD", debits_must_not_exceed_credits=True)
        await _account(client, t, f"{name}_jpy", "JPY", debits_must_not_exceed_credits=True)
        await _fund(client, t, f"{name}_usd", "100.00", "USD", "bank")
        await _fund(client, t, f"{name}_jpy", "10000", "JPY", "bank_jpy")
    r = await client.post("/v1/netting/cycles", json={"reference": "day-1", "ledger_id": t.ledger_id, "business_date": "2026-03-02"}, headers=t.as_user("finance", **{"Idempotency-Key": str(uuid.uuid4())}))
    assert r.status_code == 201, r.text
    cycle = r.json()
    assert (await client.post("/v1/netting/cycles", json={"reference": "day-1", "ledger_id": t.ledger_id}, headers=t.h(**{"Idempotency-Key": str(uuid.uuid4())}))).json()["id"] == cycle["id"]
    a = t.accounts

    def ob(payer, payee, amount, cur):
        return {"payer_account_id": a[payer], "payee_account_id": a[payee], "amount": amount, "currency": cur}

    obligations = [
        ob("m1_usd", "m2_usd", "30.00", "USD"), ob("m2_usd", "p_usd", "10.00", "USD"), ob("p_usd", "m1_usd", "5.00", "USD"),
        ob("m1_jpy", "p_jpy", "700", "JPY"), ob("m2_jpy", "p_jpy", "300", "JPY"), ob("p_jpy", "m1_jpy", "1000", "JPY"),
    ]
    url = f"/v1/netting/cycles/{cycle['id']}"
    _problem(await client.post(url + "/obligations", json={"obligations": obligations}, headers=t.h()), 400, "idempotency_key_missing")
    _problem(await client.post(url + "/obligations", json={"obligations": [ob("m1_jpy", "p_jpy", "1.5", "JPY")]}, headers=_k(t)), 422, "invalid_amount")
    # an empty list and a zero amount are refused by the schema (minItems 1, a non-zero amount)
    _problem(await client.post(url + "/obligations", json={"obligations": []}, headers=_k(t)), 422, "validation_error")
    _problem(await client.post(url + "/obligations", json={}, headers=_k(t)), 422, "validation_error")
    _problem(await client.post(url + "/obligations", json={"obligations": [ob("m1_usd", "m2_usd", "0.00", "USD")]}, headers=_k(t)), 422, "validation_error")
    _problem(await client.post(url + "/obligations", json={"obligations": [ob("m1_usd", "p_jpy", "1", "USD")]}, headers=_k(t)), 422, "invalid_obligation")
    added = await client.post(url + "/obligations", json={"obligations": obligations}, headers=_k(t, "ob-1"))
    assert added.status_code == 200 and added.json()["obligation_count"] == 6
    preview = (await client.get(url, headers=t.h())).json()
    assert preview["preview"] is True and preview["transaction_id"] is None and len(preview["instructions"]) == 5
    assert len((await client.get(url + "/obligations", headers=t.h())).json()["data"]) == 6

    _problem(await client.post(url + "/close", headers=t.h()), 400, "idempotency_key_missing")
    _problem(await client.post(url + "/close", headers=_k(t, role="approver")), 403, "forbidden_role")
    closed = await client.post(url + "/close", headers=_k(t, "close-1"))
    # four eyes: nothing is posted until a second person approves
    assert closed.status_code == 202 and closed.json()["action"] == "netting.close", closed.text
    assert (await client.get(url, headers=t.h())).json()["status"] == "open"
    body = await submit_and_approve(client, t, closed)
    assert body["status"] == "closed" and body["preview"] is False and body["transaction_id"]
    nets = {(p["account_code"], p["currency"]): p["net"] for p in body["positions"]}
    assert nets == {
        ("m1_usd", "USD"): "-25.00", ("m2_usd", "USD"): "20.00", ("p_usd", "USD"): "5.00",
        ("m1_jpy", "JPY"): "300", ("m2_jpy", "JPY"): "-300", ("p_jpy", "JPY"): "0",
    }
    assert [(i["account_code"], i["direction"], i["amount"]) for i in body["instructions"]] == [
        ("m2_jpy", "pay", "300"), ("m1_jpy", "receive", "300"),
        ("m1_usd", "pay", "25.00"), ("m2_usd", "receive", "20.00"), ("p_usd", "receive", "5.00"),
    ]
    assert body["totals"] == [{"currency": "JPY", "amount": "300"}, {"currency": "USD", "amount": "25.00"}]
    central_usd = body["central_accounts"]["USD"]
    assert body["instructions"][2]["from_account_id"] == a["m1_usd"] and body["instructions"][2]["to_account_id"] == central_usd
    tx = (await client.get(f"/v1/transactions/{body['transaction_id']}", headers=t.h())).json()
    assert len(tx["postings"]) == 10
    for cur in ("USD", "JPY"):
        from decimal import Decimal

        signed = sum(Decimal(p["amount"]) * (1 if p["side"] == "debit" else -1) for p in tx["postings"] if p["currency"] == cur)
        assert signed == 0
    bal = {n: (await client.get(f"/v1/accounts/{a[n]}/balance", headers=t.h())).json()["posted"] for n in ("m1_usd", "m2_usd", "p_usd", "m1_jpy", "m2_jpy")}
    assert bal == {"m1_usd": "75.00", "m2_usd": "120.00", "p_usd": "105.00", "m1_jpy": "10300", "m2_jpy": "9700"}
    assert (await client.get(f"/v1/accounts/{central_usd}/balance", headers=t.h())).json()["posted"] == "0.00"
    # closing again: the stored response for the same key, the closed cycle (200, nothing to approve) for another key
    assert (await client.post(url + "/close", headers=_k(t, "close-1"))).content == closed.content
    other = await client.post(url + "/close", headers=_k(t, "close-2"))
    assert other.status_code == 200 and other.json()["transaction_id"] == body["transaction_id"]
    _problem(await client.post(url + "/obligations", json={"obligations": obligations[:1]}, headers=_k(t)), 409, "netting_cycle_closed")
    listed = (await client.get("/v1/netting/cycles", params={"status": "closed"}, headers=t.as_user("admin"))).json()["data"]
    assert [c["id"] for c in listed] == [cycle["id"]]


async def test_closing_fails_atomically_with_a_problem_naming_the_participant_without_funds(client, tenant_a):
    t = tenant_a
    await _account(client, t, "poor_usd", "USD", debits_must_not_exceed_credits=True)
    await _account(client, t, "rich_usd", "USD", debits_must_not_exceed_credits=True)
    await _fund(client, t, "poor_usd", "5.00", "USD", "bank")
    cycle = (await client.post("/v1/netting/cycles", json={"ledger_id": t.ledger_id}, headers=t.h(**{"Idempotency-Key": str(uuid.uuid4())}))).json()
    url = f"/v1/netting/cycles/{cycle['id']}"
    ob = {"payer_account_id": t.accounts["poor_usd"], "payee_account_id": t.accounts["rich_usd"], "amount": "8.00", "currency": "USD"}
    assert (await client.post(url + "/obligations", json={"obligations": [ob]}, headers=_k(t))).status_code == 200
    failed = await approve(client, t, await client.post(url + "/close", headers=_k(t)))
    assert failed["status"] == "failed"
    p = failed["result"]
    assert (p["status"], p["code"]) == (422, "netting_insufficient_funds")
    assert p["participant_code"] == "poor_usd" and p["participant_account_id"] == t.accounts["poor_usd"]
    assert (p["available"], p["requested"], p["currency"]) == ("5.00", "8.00", "USD") and "poor_usd" in p["detail"]
    after = (await client.get(url, headers=t.h())).json()
    assert after["status"] == "open" and after["transaction_id"] is None
    assert (await client.get(f"/v1/accounts/{t.accounts['poor_usd']}/balance", headers=t.h())).json()["posted"] == "5.00"


async def test_partner_bank_daily_settlement_route(client, tenant_a):
    t = tenant_a
    body = {
        "partner_bank_ref": "BOC-SH", "business_date": "2026-03-02",
        "flows": [{"direction": "from_bank", "currency": "USD", "amount": "300.00"}, {"direction": "to_bank", "currency": "USD", "amount": "120.00"}],
    }
    r = await client.post("/v1/netting/partner-bank-settlements", json=body, headers=_k(t, "pb-1"))
    assert r.status_code == 202 and r.json()["action"] == "netting.close", r.text
    v = await submit_and_approve(client, t, r)
    assert v["kind"] == "partner_bank" and v["reference"] == "partner-bank:BOC-SH:2026-03-02" and v["status"] == "closed"
    # the reserve account at the bank (inst:nostro) pays the net 180.00 in, the clearing account is settled
    assert [(i["account_code"], i["direction"], i["amount"]) for i in v["instructions"]] == [
        ("inst:nostro:USD", "pay", "180.00"), ("partner:BOC-SH:clearing:USD", "receive", "180.00"),
    ]
    again = await submit_and_approve(client, t, await client.post("/v1/netting/partner-bank-settlements", json=body, headers=_k(t, "pb-2")))
    assert again["transaction_id"] == v["transaction_id"]
    body["flows"] = body["flows"][:1]
    refused = await approve(client, t, await client.post("/v1/netting/partner-bank-settlements", json=body, headers=_k(t)))
    assert refused["status"] == "failed" and (refused["result"]["status"], refused["result"]["code"]) == (409, "netting_cycle_closed")


async def test_another_institutions_advances_and_cycles_answer_404(client, tenant_a, tenant_b):
    b = tenant_b
    adv = (await client.post("/v1/advances", json=_advance(), headers=_k(b))).json()
    cyc = (await client.post("/v1/netting/cycles", json={"ledger_id": b.ledger_id}, headers=b.h(**{"Idempotency-Key": str(uuid.uuid4())}))).json()
    a = tenant_a
    _problem(await client.get(f"/v1/advances/{adv['id']}", headers=a.h()), 404, "advance_not_found")
    _problem(await client.post(f"/v1/advances/{adv['id']}/settle", json={}, headers=_k(a)), 404, "advance_not_found")
    _problem(await client.get(f"/v1/netting/cycles/{cyc['id']}", headers=a.h()), 404, "netting_cycle_not_found")
    _problem(await client.get(f"/v1/netting/cycles/{cyc['id']}/obligations", headers=a.h()), 404, "netting_cycle_not_found")
    one = {"payer_account_id": str(uuid.uuid4()), "payee_account_id": str(uuid.uuid4()), "amount": "1.00", "currency": "USD"}
    _problem(await client.post(f"/v1/netting/cycles/{cyc['id']}/obligations", json={"obligations": [one]}, headers=_k(a)), 404, "netting_cycle_not_found")
    _problem(await client.post(f"/v1/netting/cycles/{cyc['id']}/close", headers=_k(a)), 404, "netting_cycle_not_found")
    # A cannot open a cycle on B's ledger nor see B's advances
    _problem(await client.post("/v1/netting/cycles", json={"ledger_id": b.ledger_id}, headers=a.h(**{"Idempotency-Key": str(uuid.uuid4())})), 404, "ledger_not_found")
    assert (await client.get("/v1/advances", headers=a.h())).json()["data"] == []
    assert (await client.get("/v1/netting/cycles", headers=a.h())).json()["data"] == []
    assert (await client.get(f"/v1/advances/{adv['id']}", headers=b.h())).json()["outstanding"] == "100.00"
    assert (await client.get(f"/v1/netting/cycles/{cyc['id']}", headers=b.h())).json()["status"] == "open"
