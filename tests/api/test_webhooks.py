"""Webhook delivery from the transactional outbox to a real local HTTP server
(uvicorn on 127.0.0.1), on SQLite and PostgreSQL: Standard Webhooks
signatures, retries with backoff, 410 Gone, process death between commit and
delivery (including SIGKILL of a dispatcher process mid-send), concurrent
dispatchers, tenant scoping and event-type filters."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api import webhooks as W
from api.netguard import NetPolicy
from api.schema import webhook_deliveries, webhook_endpoints
from ledger.config import Settings
from ledger.crypto import Keyring
from ledger.db import create_engine
from ledger.errors import InvalidInput, NotFound
from ledger.events import emit_event, outbox_events
from tests.support.books import make_book

ROOT = Path(__file__).resolve().parents[2]
#: XBORDER_WEBHOOK_ALLOW_PRIVATE of these tests
LOCAL_RECEIVERS = "127.0.0.1/32"


# -- a real HTTP receiver ---------------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float


class Receiver:
    """Uvicorn + Starlette in a background thread.  Each test uses its own
    path name; ``script(name, [500, 500, 200])`` sets the answers in order
    (then 200), ``"hang"`` holds the request until :meth:`release`,
    ``("redirect", url)`` answers 302 and ``(status, body)`` that body."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.scripts: dict[str, list] = defaultdict(list)
        self.requests: dict[str, list[Received]] = defaultdict(list)
        self.released: set[str] = set()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.sock = sock
        app = Starlette(routes=[Route("/hook/{name}", self.handle, methods=["POST"])])
        config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1, access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)

    def start(self) -> Receiver:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("receiver did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        with self.lock:
            self.released.update(self.scripts)
            self.released.update(self.requests)
        self.server.should_exit = True
        self.thread.join(5)
        self.sock.close()

    async def handle(self, request: Request) -> Response:
        name = request.path_params["name"]
        body = await request.body()
        with self.lock:
            self.requests[name].append(Received(dict(request.headers), body, time.time()))
            script = self.scripts[name]
            action = script.pop(0) if script else 200
        if action == "hang":
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with self.lock:
                    if name in self.released:
                        break
                await asyncio.sleep(0.02)
            action = 200
        if isinstance(action, tuple):  # ("redirect", url) or (status, body)
            if action[0] == "redirect":
                return Response(status_code=302, headers={"location": action[1]})
            return Response(status_code=action[0], content=action[1])
        return Response(status_code=action, content=b"ok" if action < 300 else b"no")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/hook/{name}"

    def script(self, name: str, actions: list) -> None:
        with self.lock:
            self.scripts[name] = list(actions)

    def release(self, name: str) -> None:
        with self.lock:
            self.released.add(name)

    def got(self, name: str) -> list[Received]:
        with self.lock:
            return list(self.requests[name])

    async def wait_for(self, name: str, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.got(name)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"receiver {name}: {len(self.got(name))} requests, expected {count}")
            await asyncio.sleep(0.01)
        return self.got(name)


@pytest.fixture(scope="module")
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


_names = iter(range(1_000_000))


@pytest.fixture
def name(request) -> str:
    return f"{request.node.name.replace('[', '-').replace(']', '')}-{next(_names)}"


@pytest.fixture
def settings(settings) -> Settings:
    """The receivers listen on 127.0.0.1: a private integration the
    deployment allow-lists (without it they are refused:
    tests/api/test_webhook_destinations.py)."""
    return settings.model_copy(update={"webhook_allow_private": LOCAL_RECEIVERS})


@pytest.fixture
def policy(settings) -> NetPolicy:
    return NetPolicy.from_settings(settings)


@pytest.fixture
def keyring(settings) -> Keyring:
    return Keyring.from_settings(settings)


# -- helpers -------------------------------------------------------------------------------


def now_utc() -> datetime:
    return datetime.now(UTC)


async def endpoint(engine, keyring, policy, inst, url, types=("*",)) -> dict:
    async with engine.begin() as conn:
        return await W.create_endpoint(conn, keyring, inst, url, list(types), policy=policy)


async def emit(engine, inst, type="transaction.posted", payload=None):
    async with engine.begin() as conn:
        return await emit_event(conn, inst, type, payload if payload is not None else {"n": 1})


async def deliveries(engine, inst, **kw) -> list[dict]:
    async with engine.connect() as conn:
        return await W.list_deliveries(conn, inst, **kw)


def dispatcher(engine, keyring, policy, **kw) -> W.WebhookDispatcher:
    kw.setdefault("base_delay", 0.01)
    kw.setdefault("timeout", 5.0)
    return W.WebhookDispatcher(engine, keyring, policy=policy, **kw)


# -- tests ---------------------------------------------------------------------------------


async def test_delivery_is_signed_as_standard_webhooks_says(engine, keyring, policy, book, receiver, name):
    ep = await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name), ["transaction.posted"])
    secret = ep["secret"]
    assert secret.startswith("whsec_") and 24 <= len(base64.b64decode(secret[6:])) <= 32

    # the event is written by the posting's own database transaction
    emitted = {}

    async def after(conn, result):
        emitted["id"] = await emit_event(conn, book.institution_id, "transaction.posted", {"transaction_id": str(result.transaction_id)})

    posted = await book.ledger.post(book.institution_id, book.tx("bank_usd", "equity_usd", 1234), after=after)

    async with dispatcher(engine, keyring, policy) as d:
        assert await d.run_once() == 1
        assert await d.run_once() == 0
    [req] = receiver.got(name)
    assert req.headers["webhook-id"] == str(emitted["id"])
    assert req.headers["content-type"] == "application/json"
    assert abs(int(req.headers["webhook-timestamp"]) - time.time()) < 60
    assert req.headers["webhook-signature"].startswith("v1,")
    doc = Webhook(secret).verify(req.body, req.headers)
    assert doc["id"] == str(emitted["id"])
    assert doc["type"] == "transaction.posted"
    assert doc["institution_id"] == str(book.institution_id)
    assert doc["data"] == {"transaction_id": str(posted.transaction_id)}
    assert datetime.fromisoformat(doc["created_at"]).tzinfo is not None
    with pytest.raises(WebhookVerificationError):
        Webhook(W.new_secret()).verify(req.body, req.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(req.body.replace(b"1", b"2"), req.headers)

    [dl] = await deliveries(engine, book.institution_id)
    assert dl["status"] == "delivered" and dl["attempts"] == 1 and dl["last_status_code"] == 200
    assert [a["status_code"] for a in dl["attempts_log"]] == [200]
    async with engine.connect() as conn:
        [ev] = await W.list_events(conn, book.institution_id)
        stored = (await conn.execute(select(webhook_endpoints.c.secret_enc).where(webhook_endpoints.c.id == ep["id"]))).scalar_one()
    assert ev["id"] == emitted["id"] and ev["dispatched_at"] is not None
    # the secret is stored encrypted only
    assert secret not in stored and keyring.decrypt(stored, context="webhook_endpoint") == secret


async def test_receiver_failing_twice_then_succeeding_gets_it_on_the_third_attempt(engine, keyring, policy, book, receiver, name):
    ep = await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    receiver.script(name, [500, 500, 200])
    event_id = await emit(engine, book.institution_id, payload={"amount": "12.50", "currency": "USD"})

    d = dispatcher(engine, keyring, policy, base_delay=1.0, max_delay=60.0)
    t = now_utc()
    assert await d.run_once(t) == 1  # 500
    # backoff: not due again right away
    assert await d.run_once(t) == 0
    [dl] = await deliveries(engine, book.institution_id)
    assert dl["status"] == "pending" and dl["attempts"] == 1 and dl["last_status_code"] == 500
    assert t + timedelta(seconds=0.5) <= dl["next_attempt_at"] <= t + timedelta(seconds=1)
    attempted = 1
    for step in range(1, 20):
        attempted += await d.run_once(t + timedelta(seconds=step))
        [dl] = await deliveries(engine, book.institution_id)
        if dl["status"] != "pending":
            break
    await d.aclose()
    assert attempted == 3
    assert dl["status"] == "delivered" and dl["attempts"] == 3 and dl["delivered_at"] is not None
    assert [a["status_code"] for a in dl["attempts_log"]] == [500, 500, 200]
    assert dl["attempts_log"][0]["error"] == "http_500"
    reqs = receiver.got(name)
    assert len(reqs) == 3
    # same message every time: same id, same bytes; each signature verifies
    assert {r.headers["webhook-id"] for r in reqs} == {str(event_id)}
    assert len({r.body for r in reqs}) == 1
    for r in reqs:
        Webhook(ep["secret"]).verify(r.body, r.headers)


async def test_gives_up_after_max_attempts_and_records_connection_errors(engine, keyring, policy, book, receiver, name):
    # nothing listens on this port
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead_port = s.getsockname()[1]
    s.close()
    await endpoint(engine, keyring, policy, book.institution_id, f"http://127.0.0.1:{dead_port}/gone")
    await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    receiver.script(name, [503, 503, 503])
    await emit(engine, book.institution_id)

    d = dispatcher(engine, keyring, policy, max_attempts=3, timeout=2.0)
    t = now_utc()
    total = 0
    for step in range(10):
        total += await d.run_once(t + timedelta(seconds=step))
    await d.aclose()
    assert total == 6
    dls = await deliveries(engine, book.institution_id)
    assert {x["status"] for x in dls} == {"failed"}
    assert all(x["attempts"] == 3 and len(x["attempts_log"]) == 3 and x["next_attempt_at"] is None for x in dls)
    by_code = {x["last_status_code"]: x for x in dls}
    assert [a["status_code"] for a in by_code[503]["attempts_log"]] == [503, 503, 503]
    assert [a["error"] for a in by_code[None]["attempts_log"]] == ["connect_error"] * 3

    # the institution can queue a failed delivery again once the receiver is fixed
    other = await make_book(book.ledger)
    async with engine.begin() as conn:
        with pytest.raises(NotFound):
            await W.redeliver(conn, other.institution_id, by_code[503]["id"])
        again = await W.redeliver(conn, book.institution_id, by_code[503]["id"], now=t + timedelta(seconds=20))
    assert again["status"] == "pending" and again["attempts"] == 0
    async with dispatcher(engine, keyring, policy, max_attempts=3) as d:
        assert await d.run_once(t + timedelta(seconds=20)) == 1
    [dl] = await deliveries(engine, book.institution_id, status="delivered")
    assert dl["id"] == by_code[503]["id"] and [a["status_code"] for a in dl["attempts_log"]] == [503, 503, 503, 200]


async def test_a_receiver_that_does_not_answer_in_time_is_retried(engine, keyring, policy, book, receiver, name):
    await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    receiver.script(name, ["hang"])
    await emit(engine, book.institution_id)
    t = now_utc()
    async with dispatcher(engine, keyring, policy, timeout=0.3) as d:
        assert await d.run_once(t) == 1
        receiver.release(name)
        [dl] = await deliveries(engine, book.institution_id)
        assert dl["status"] == "pending" and dl["last_status_code"] is None and dl["last_error"] == "timeout"
        assert dl["attempts_log"][0]["duration_ms"] >= 250
        assert await d.run_once(t + timedelta(seconds=5)) == 1
    [dl] = await deliveries(engine, book.institution_id)
    assert dl["status"] == "delivered" and [a["status_code"] for a in dl["attempts_log"]] == [None, 200]


def test_backoff_is_exponential_with_jitter_and_capped():
    d = W.WebhookDispatcher.__new__(W.WebhookDispatcher)
    d.base_delay, d.max_delay = 1.0, 10.0
    for _ in range(50):
        assert 0.5 <= d.backoff(1) <= 1.0
        assert 1.0 <= d.backoff(2) <= 2.0
        assert 4.0 <= d.backoff(4) <= 8.0
        assert 5.0 <= d.backoff(30) <= 10.0


async def test_gone_410_disables_the_endpoint_and_cancels_its_pending_deliveries(engine, keyring, policy, book, receiver, name):
    ep = await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    receiver.script(name, [410])
    first = await emit(engine, book.institution_id)
    second = await emit(engine, book.institution_id)

    d = dispatcher(engine, keyring, policy, batch_size=1)
    assert await d.fan_out() == 1 and await d.fan_out() == 1
    assert await d.run_once() == 1  # the first one only (batch of one)
    assert await d.run_once() == 0
    await d.aclose()
    assert len(receiver.got(name)) == 1
    async with engine.connect() as conn:
        got = await W.get_endpoint(conn, book.institution_id, ep["id"])
    assert got["enabled"] is False and "410" in got["disabled_reason"]
    by_event = {x["event_id"]: x for x in await deliveries(engine, book.institution_id)}
    assert by_event[first]["status"] == "failed" and by_event[first]["last_status_code"] == 410
    assert by_event[second]["status"] == "cancelled" and by_event[second]["attempts_log"] == []
    # later events are not queued for the disabled endpoint ...
    await emit(engine, book.institution_id)
    async with dispatcher(engine, keyring, policy) as d2:
        assert await d2.run_once() == 0
    assert len(await deliveries(engine, book.institution_id)) == 2
    # ... until the institution enables it again
    async with engine.begin() as conn:
        again = await W.update_endpoint(conn, book.institution_id, ep["id"], enabled=True)
    assert again["enabled"] is True and again["disabled_reason"] is None
    await emit(engine, book.institution_id)
    async with dispatcher(engine, keyring, policy) as d3:
        assert await d3.run_once() == 1
    assert len(receiver.got(name)) == 2


async def test_an_event_committed_before_a_restart_is_delivered_by_the_next_process(engine, keyring, policy, book, receiver, name):
    ep = await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    # 1. committed, then the process dies before any dispatcher ran
    e1 = await emit(engine, book.institution_id)
    d1 = dispatcher(engine, keyring, policy)
    del d1
    # 2. committed and fanned out, then the process dies before sending
    e2 = await emit(engine, book.institution_id)
    d2 = dispatcher(engine, keyring, policy)
    assert await d2.fan_out() == 2
    await d2.aclose()
    del d2
    # 3. claimed, and the process dies in the middle of the HTTP request
    receiver.script(name, ["hang"])
    e3 = await emit(engine, book.institution_id)
    d3 = dispatcher(engine, keyring, policy, lease=30, concurrency=1)
    # it fans out e3 and claims e1, e2 and e3; the receiver holds the first
    # request, so the other two wait their turn when the process dies
    task = asyncio.create_task(d3.run_once())
    await receiver.wait_for(name, 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    receiver.release(name)
    await d3.aclose()
    del d3, task

    # a new process: leased deliveries wait for the lease, then all arrive
    d4 = dispatcher(engine, keyring, policy)
    left = {x["event_id"]: x for x in await deliveries(engine, book.institution_id)}
    assert set(left) == {e1, e2, e3}
    assert all(x["status"] == "pending" for x in left.values())
    assert await d4.run_once() == 0  # still leased by the dead process
    assert await d4.run_once(now_utc() + timedelta(seconds=31)) == 3
    await d4.aclose()
    done = await deliveries(engine, book.institution_id)
    assert {x["status"] for x in done} == {"delivered"} and len(done) == 3
    ids = [r.headers["webhook-id"] for r in receiver.got(name)]
    # at least once: every event arrived; the interrupted one twice
    assert len(ids) == 4 and set(ids) == {str(e1), str(e2), str(e3)}
    for r in receiver.got(name):
        Webhook(ep["secret"]).verify(r.body, r.headers)


_KILLED_DISPATCHER = """
import asyncio, sys
from ledger.config import Settings
from ledger.config import Settings
from ledger.crypto import Keyring
from ledger.db import create_engine
from api.netguard import NetPolicy
from api.webhooks import WebhookDispatcher

async def main():
    settings = Settings(secret_key=sys.argv[2], data_dir=sys.argv[3], webhook_allow_private="127.0.0.1/32")
    engine = create_engine(sys.argv[1], settings=settings)
    d = WebhookDispatcher(engine, Keyring.from_settings(settings), timeout=30, lease=40, policy=NetPolicy.from_settings(settings))
    await d.run_once()
    print("finished", flush=True)

asyncio.run(main())
"""


async def test_sigkill_of_the_dispatcher_process_mid_delivery_loses_nothing(engine, keyring, policy, settings, db_url, book, receiver, name):
    ep = await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    receiver.script(name, ["hang"])
    event_id = await emit(engine, book.institution_id, payload={"receipt_id": "r-1"})

    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_DISPATCHER, db_url, settings.secret_key, str(settings.data_dir)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        await receiver.wait_for(name, 1, timeout=20)
    finally:
        proc.kill()
        out, err = proc.communicate(timeout=10)
    receiver.release(name)
    assert b"finished" not in out, err.decode()

    [dl] = await deliveries(engine, book.institution_id)
    assert dl["status"] == "pending" and dl["attempts"] == 1 and dl["attempts_log"] == []
    async with dispatcher(engine, keyring, policy) as d:
        assert await d.run_once() == 0  # leased by the dead process
        assert await d.run_once(now_utc() + timedelta(seconds=41)) == 1
    [dl] = await deliveries(engine, book.institution_id)
    assert dl["status"] == "delivered" and dl["attempts"] == 2
    first, second = receiver.got(name)
    assert first.body == second.body and first.headers["webhook-id"] == second.headers["webhook-id"] == str(event_id)
    assert Webhook(ep["secret"]).verify(second.body, second.headers)["data"] == {"receipt_id": "r-1"}


async def test_a_rolled_back_change_emits_nothing(engine, keyring, policy, book, receiver, name):
    await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    with pytest.raises(RuntimeError):
        async with engine.begin() as conn:
            await emit_event(conn, book.institution_id, "transaction.posted", {"n": 1})
            raise RuntimeError("the change failed")
    async with dispatcher(engine, keyring, policy) as d:
        assert await d.run_once() == 0
    assert receiver.got(name) == []
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(outbox_events))).scalar() == 0


async def test_concurrent_dispatchers_deliver_each_event_once(engine, keyring, policy, db_url, settings, book, receiver, name):
    await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name + "-b"), ["transaction.posted"])
    events = set()
    async with engine.begin() as conn:
        for i in range(20):
            events.add(await emit_event(conn, book.institution_id, "transaction.posted", {"i": i}))
    # two "processes": separate engines, separate dispatchers
    other = create_engine(db_url, settings=settings)
    try:
        d1 = dispatcher(engine, keyring, policy, batch_size=7)
        d2 = dispatcher(other, keyring, policy, batch_size=7)
        total = 0
        for _ in range(8):
            a, b = await asyncio.gather(d1.run_once(), d2.run_once())
            total += a + b
        await d1.aclose()
        await d2.aclose()
    finally:
        await other.dispose()
    assert total == 40
    async with engine.connect() as conn:
        rows = (await conn.execute(select(webhook_deliveries.c.event_id, webhook_deliveries.c.endpoint_id, webhook_deliveries.c.status))).all()
        undispatched = (await conn.execute(select(func.count()).select_from(outbox_events).where(outbox_events.c.dispatched_at.is_(None)))).scalar()
    assert undispatched == 0
    assert len(rows) == 40 and len({(r.event_id, r.endpoint_id) for r in rows}) == 40
    assert {r.status for r in rows} == {"delivered"}
    for n in (name, name + "-b"):
        ids = [r.headers["webhook-id"] for r in receiver.got(n)]
        assert len(ids) == 20 and set(ids) == {str(e) for e in events}


async def test_endpoints_receive_only_the_event_types_they_subscribed_to(engine, keyring, policy, book, receiver, name):
    inst = book.institution_id
    await endpoint(engine, keyring, policy, inst, receiver.url(name + "-tx"), ["transaction.posted"])
    await endpoint(engine, keyring, policy, inst, receiver.url(name + "-all"), ["*"])
    await endpoint(engine, keyring, policy, inst, receiver.url(name + "-loan"), ["loan.*", "receipt.credited"])
    await emit(engine, inst, "transaction.posted")
    await emit(engine, inst, "loan.disbursed")
    await emit(engine, inst, "receipt.credited")
    async with dispatcher(engine, keyring, policy) as d:
        assert await d.run_once() == 6

    def types(n):
        return sorted(json.loads(r.body)["type"] for r in receiver.got(n))

    assert types(name + "-tx") == ["transaction.posted"]
    assert types(name + "-all") == ["loan.disbursed", "receipt.credited", "transaction.posted"]
    assert types(name + "-loan") == ["loan.disbursed", "receipt.credited"]


async def test_endpoints_are_tenant_scoped(engine, keyring, policy, ledger, book, receiver, name):
    other = await make_book(ledger)
    ep = await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    await emit(engine, book.institution_id)
    async with dispatcher(engine, keyring, policy) as d:
        assert await d.run_once() == 1
    async with engine.begin() as conn:
        for call in (
            W.get_endpoint(conn, other.institution_id, ep["id"]),
            W.update_endpoint(conn, other.institution_id, ep["id"], url="http://127.0.0.1/x", policy=policy),
            W.delete_endpoint(conn, other.institution_id, ep["id"]),
            W.rotate_secret(conn, keyring, other.institution_id, ep["id"]),
            W.get_endpoint(conn, book.institution_id, "not-a-uuid"),
        ):
            with pytest.raises(NotFound):
                await call
        assert await W.list_endpoints(conn, other.institution_id) == []
        assert await W.list_events(conn, other.institution_id) == []
        assert await W.list_deliveries(conn, other.institution_id) == []
        assert await W.list_deliveries(conn, other.institution_id, endpoint_id=ep["id"]) == []
        assert len(await W.list_deliveries(conn, book.institution_id, endpoint_id=ep["id"])) == 1
        # untouched
        assert (await W.get_endpoint(conn, book.institution_id, ep["id"]))["enabled"] is True
    # another institution's events never go to this endpoint
    await emit(engine, other.institution_id)
    async with dispatcher(engine, keyring, policy) as d:
        assert await d.run_once() == 0
    assert len(receiver.got(name)) == 1


async def test_endpoint_validation_update_and_soft_delete(engine, keyring, policy, book, receiver, name):
    inst = book.institution_id
    async with engine.begin() as conn:
        for url in ("ftp://example.com/x", "example.com/hook", "http://", "http://exa mple.com", "https://e.com/" + "a" * 2000, "", None):
            with pytest.raises(InvalidInput):
                await W.create_endpoint(conn, keyring, inst, url, ["*"], policy=policy)
        for types in ([], "transaction.posted", [""], [1], ["a b"]):
            with pytest.raises(InvalidInput):
                await W.create_endpoint(conn, keyring, inst, "https://example.com/hook", types, policy=policy)
    ep = await endpoint(engine, keyring, policy, inst, "https://93.184.215.14/hook", ["transaction.posted", "transaction.posted"])
    assert ep["event_types"] == ["transaction.posted"] and ep["enabled"] is True
    async with engine.begin() as conn:
        listed = await W.list_endpoints(conn, inst)
        assert [x["id"] for x in listed] == [ep["id"]] and "secret" not in listed[0]
        up = await W.update_endpoint(conn, inst, ep["id"], url=receiver.url(name), event_types=["*"], policy=policy)
        assert up["url"] == receiver.url(name) and up["event_types"] == ["*"]
        with pytest.raises(InvalidInput):
            await W.update_endpoint(conn, inst, ep["id"], url="gopher://x", policy=policy)
        rotated = await W.rotate_secret(conn, keyring, inst, ep["id"])
        assert rotated["secret"] != ep["secret"]

    # disabling cancels what is pending
    await emit(engine, inst)
    async with dispatcher(engine, keyring, policy) as d:
        await d.fan_out()
    async with engine.begin() as conn:
        off = await W.update_endpoint(conn, inst, ep["id"], enabled=False)
    assert off["enabled"] is False and off["disabled_reason"]
    assert [x["status"] for x in await deliveries(engine, inst)] == ["cancelled"]

    # re-enabled, it gets new events, signed with the rotated secret
    async with engine.begin() as conn:
        await W.update_endpoint(conn, inst, ep["id"], enabled=True)
    await emit(engine, inst)
    async with dispatcher(engine, keyring, policy) as d:
        assert await d.run_once() == 1
    [req] = receiver.got(name)
    Webhook(rotated["secret"]).verify(req.body, req.headers)

    # soft delete: gone from the API, history kept, pending cancelled
    await emit(engine, inst)
    async with dispatcher(engine, keyring, policy) as d:
        await d.fan_out()
    async with engine.begin() as conn:
        await W.delete_endpoint(conn, inst, ep["id"])
        assert await W.list_endpoints(conn, inst) == []
        with pytest.raises(NotFound):
            await W.get_endpoint(conn, inst, ep["id"])
        with pytest.raises(NotFound):
            await W.update_endpoint(conn, inst, ep["id"], enabled=True)
    statuses = sorted(x["status"] for x in await deliveries(engine, inst, endpoint_id=ep["id"]))
    assert statuses == ["cancelled", "cancelled", "delivered"]


async def test_events_listing_pages_by_id(engine, keyring, policy, book):
    inst = book.institution_id
    ids = [await emit(engine, inst, payload={"i": i}) for i in range(5)]
    async with engine.connect() as conn:
        page1 = await W.list_events(conn, inst, limit=2)
        page2 = await W.list_events(conn, inst, after=page1[-1]["id"], limit=10)
        with pytest.raises(InvalidInput):
            await W.list_events(conn, inst, after="nope")
    assert [e["id"] for e in page1 + page2] == ids
    assert page2[-1]["data"] == {"i": 4} and page2[-1]["type"] == "transaction.posted"


async def test_run_forever_delivers_in_the_background(engine, keyring, policy, book, receiver, name):
    await endpoint(engine, keyring, policy, book.institution_id, receiver.url(name))
    stop = asyncio.Event()
    d = dispatcher(engine, keyring, policy)
    task = asyncio.create_task(d.run_forever(stop, interval=0.02))
    try:
        event_id = await emit(engine, book.institution_id)
        [req] = await receiver.wait_for(name, 1)
        assert req.headers["webhook-id"] == str(event_id)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
    assert d._client is None  # closed on the way out
