"""Crash recovery of HTTP idempotency (issue #15 item 5), through the app.

An in-flight record whose process died is taken over by the first retry at
once; one held by a live process (or by a process on another host, which
cannot be checked from here) answers 409 until its lease ends.  A retry
that finds the posting already committed answers ``Idempotent-Replayed:
true`` with the original transaction.  The SIGKILL form of this is
tests/crash/test_crash_safety.py.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from api.idempotency import IN_FLIGHT_LEASE_SECONDS, fingerprint
from api.schema import http_idempotency
from ledger.clock import utc_now
from ledger.model import NewTransaction, Posting
from ledger.process import _boot_id, _host, _start_ticks, identity, is_dead
from tests.api.conftest import transfer


def _ended_process_identity() -> str:
    """The identity a process had before it ended (and was reaped)."""
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.05)"])
    ticks = _start_ticks(p.pid)
    p.wait()
    return f"{_host()}|{_boot_id()}|{p.pid}|{ticks}"


class _Fp:
    """Just enough of a request to compute the record's fingerprint."""

    def __init__(self, path: str):
        self.method = "POST"
        self.url = type("U", (), {"path": path})()


async def _in_flight(app, t, key: str, path: str, body: bytes, owner: str, age_s: float = 0.0) -> None:
    now = utc_now() - timedelta(seconds=age_s)
    async with app.state.ctx.engine.begin() as conn:
        await conn.execute(http_idempotency.insert().values(
            institution_id=t.institution_id, key=key, fingerprint=fingerprint(_Fp(path), body), state="in_flight",
            created_at=now, expires_at=now + timedelta(hours=1), owner=owner,
        ))


def _body(t) -> tuple[dict, bytes]:
    import json

    doc = transfer(t, "bank", "merchant", "12.34")
    return doc, json.dumps(doc).encode()


def test_process_identity_tells_a_dead_owner_from_a_live_one():
    assert not is_dead(identity())
    assert is_dead(_ended_process_identity())
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not is_dead(f"{_host()}|{_boot_id()}|{live.pid}|{_start_ticks(live.pid)}")
        # the same pid with another start time is another process: the owner is gone
        assert is_dead(f"{_host()}|{_boot_id()}|{live.pid}|1")
    finally:
        live.kill()
        live.wait()
    # another host, another boot, old rows without an owner: cannot tell, not dead
    assert not is_dead("elsewhere|boot|1|1") and not is_dead(f"{_host()}|another-boot|1|1") and not is_dead(None)


async def test_a_retry_takes_over_a_dead_processs_key_at_once(app, client, tenant_a):
    t = tenant_a
    path = f"/v1/ledgers/{t.ledger_id}/transactions"
    doc, raw = _body(t)
    await _in_flight(app, t, "cut-1", path, raw, _ended_process_identity())
    r = await client.post(path, content=raw, headers=t.h(**{"Idempotency-Key": "cut-1", "Content-Type": "application/json"}))
    assert r.status_code == 201, r.text
    assert "Idempotent-Replayed" not in r.headers  # nothing had been posted: this is the first execution
    again = await client.post(path, content=raw, headers=t.h(**{"Idempotency-Key": "cut-1", "Content-Type": "application/json"}))
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true" and again.content == r.content


async def test_a_live_or_unverifiable_owner_keeps_its_key_until_the_lease_ends(app, client, tenant_a):
    t = tenant_a
    path = f"/v1/ledgers/{t.ledger_id}/transactions"
    _, raw = _body(t)
    hdr = lambda k: t.h(**{"Idempotency-Key": k, "Content-Type": "application/json"})  # noqa: E731
    await _in_flight(app, t, "live-1", path, raw, identity())  # this very process: still processing
    await _in_flight(app, t, "remote-1", path, raw, "another-host|boot|4242|99")
    await _in_flight(app, t, "remote-old", path, raw, "another-host|boot|4242|99", age_s=IN_FLIGHT_LEASE_SECONDS + 1)
    for key in ("live-1", "remote-1"):
        r = await client.post(path, content=raw, headers=hdr(key))
        assert r.status_code == 409 and r.json()["code"] == "idempotency_request_in_flight" and r.headers["Retry-After"] == "1"
    r = await client.post(path, content=raw, headers=hdr("remote-old"))
    assert r.status_code == 201, r.text


async def test_a_retry_after_a_commit_the_caller_never_heard_of_says_replayed(app, client, tenant_a):
    """The killed attempt had committed the posting (under the ledger key the
    route derives from the HTTP key) but not stored its response."""
    t = tenant_a
    path = f"/v1/ledgers/{t.ledger_id}/transactions"
    _, raw = _body(t)
    ledger = app.state.ctx.ledger
    from uuid import UUID

    item = NewTransaction(UUID(t.ledger_id), [Posting(UUID(t.accounts["bank"]), 1234, "debit", "USD"), Posting(UUID(t.accounts["merchant"]), 1234, "credit", "USD")], idempotency_key="http:cut-2")
    committed = await ledger.post(t.institution_id, item)
    await _in_flight(app, t, "cut-2", path, raw, _ended_process_identity())
    r = await client.post(path, content=raw, headers=t.h(**{"Idempotency-Key": "cut-2", "Content-Type": "application/json"}))
    assert r.status_code == 201, r.text
    assert r.headers["Idempotent-Replayed"] == "true"
    assert r.json()["id"] == str(committed.transaction_id)
    async with app.state.ctx.engine.connect() as conn:
        row = (await conn.execute(select(http_idempotency).where(http_idempotency.c.key == "cut-2"))).one()
    assert row.state == "done"
    # the balance moved once
    acct = (await client.get(f"/v1/accounts/{t.accounts['merchant']}", headers=t.h())).json()
    assert acct["posted"] == "12.34"


def test_a_503_says_the_outcome_is_unknown_and_a_retry_with_the_key_is_safe():
    import json

    from api.problems import exception_to_response

    r = exception_to_response(ConnectionRefusedError("connect call failed"))
    body = json.loads(r.body)
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    assert body["code"] == "database_unavailable" and body["outcome"] == "unknown" and body["retry_with_same_key"] is True
    assert "nothing was written" not in body["detail"] and "same Idempotency-Key is safe" in body["detail"]


async def test_receipts_conversions_and_payments_retried_after_a_lost_response_say_replayed(app, client, tenant_a):
    """The killed attempt committed the receipt (or conversion) but its HTTP
    response was never stored: the retry is answered from the service's own
    idempotency with ``Idempotent-Replayed: true``, and nothing moves twice."""
    from sqlalchemy import delete

    from tests.api.test_settlement_api import _today, receipt_body

    t = tenant_a
    stl = app.state.ctx.settlement
    await stl.rates.set_manual_rate(t.institution_id, "USD", "CNY", "7.1000", as_of=_today())
    from settlement.customers import open_customer

    a = await open_customer(stl.ledger, stl.keyring, t.institution_id, ref="MA", kind="enterprise", name="A Ltd", fx_class="A", directory_registered=True)
    p = await open_customer(stl.ledger, stl.keyring, t.institution_id, ref="P1", kind="individual", name="Han Meimei", id_number="110101199202023456")
    await client.post("/v1/receipts", json=receipt_body(str(p.id), "500.00"), headers=t.h(**{"Idempotency-Key": "p-funds"}))
    calls = [
        ("/v1/receipts", receipt_body(str(a.id), "100.00")),
        ("/v1/conversions", {"customer_id": str(p.id), "direction": "settle", "currency": "USD", "amount": "10.00"}),
    ]
    for n, (path, body) in enumerate(calls):
        key = f"lost-{n}"
        first = await client.post(path, json=body, headers=t.h(**{"Idempotency-Key": key}))
        assert first.status_code in (200, 201), first.text
        assert "Idempotent-Replayed" not in first.headers
        async with app.state.ctx.engine.begin() as conn:  # the stored response is lost with the process
            await conn.execute(delete(http_idempotency).where(http_idempotency.c.key == key))
        again = await client.post(path, json=body, headers=t.h(**{"Idempotency-Key": key}))
        assert again.status_code == first.status_code, again.text
        assert again.headers.get("Idempotent-Replayed") == "true", (path, dict(again.headers))
        assert again.json()["id"] == first.json()["id"]
