"""Crash-safety driver (issue #7): the real server, SIGKILLed under load.

:func:`run` starts the real HTTP server (``python -m api.cli serve``, a
uvicorn on 127.0.0.1) on SQLite or PostgreSQL, registers a webhook endpoint
pointing at a real local HTTP receiver, and drives ``clients`` concurrent
client tasks posting two-leg transfers (USD and JPY) with an
``Idempotency-Key`` each to ``POST /v1/ledgers/{id}/transactions``.  A killer
task SIGKILLs the server process at random moments ``kills`` times and
restarts it; every request that was not acknowledged (connection error,
503, 409 "in flight") is retried with the same key and the same body until
it is.  Afterwards, with the server stopped, the driver proves from the
database itself:

* every acknowledged transaction is present exactly once, under its key,
  with the id the acknowledgement named and the amounts that were sent;
* no idempotency key has two transactions, and no transaction exists that
  was never acknowledged;
* every per-currency sum of postings is zero;
* the hash chain verifies (and stored balances equal their postings);
* each transaction has exactly one ``transaction.posted`` outbox event, and
  the receiver saw every event id at least once (duplicates are counted:
  delivery is at least once).

A delivery claimed by a server that was then killed stays leased (about
100 s) before another dispatcher may retry it; after the server's own
dispatcher has had its chance, the driver drains what is left with a
:class:`api.webhooks.WebhookDispatcher` whose clock is moved past the lease
(what a surviving dispatcher would do once the lease runs out), and reports
how many deliveries needed that.

``idempotency_lease`` (seconds) optionally shortens the HTTP in-flight lease
of :mod:`api.idempotency` (60 s) in the server process, so that retries of a
request killed mid-flight are taken over sooner; it also makes a retry race
the original request when the server is slow, which the ledger's own
idempotency keys must absorb.  ``None`` serves exactly ``api.cli serve``.

Used by ``tests/crash`` (short form) and ``python -m bench.crash`` (long form).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["run", "Receiver", "ServerProcess", "seed", "free_port", "check_ledger"]

TRANSFER_ROUTE = "/v1/ledgers/{ledger_id}/transactions"
PROBLEM = "application/problem+json"


def _now() -> datetime:
    return datetime.now(UTC)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- webhook receiver -------------------------------------------------------------------------


class Receiver:
    """A real HTTP server (uvicorn + Starlette in a thread, own event loop)
    on 127.0.0.1 that answers 200 to every POST and records the
    ``webhook-id`` of each delivery."""

    def __init__(self) -> None:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.requests import ClientDisconnect
        from starlette.responses import Response
        from starlette.routing import Route

        self.lock = threading.Lock()
        self.ids: list[str] = []
        self.bodies: dict[str, bytes] = {}

        async def handle(request):
            try:
                body = await request.body()
            except ClientDisconnect:  # the sending server was killed mid-request
                return Response(b"", status_code=400)
            msg_id = request.headers.get("webhook-id", "")
            with self.lock:
                self.ids.append(msg_id)
                self.bodies.setdefault(msg_id, body)
            return Response(b"ok", status_code=200)

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        app = Starlette(routes=[Route("/hook", handle, methods=["POST"])])
        config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1, access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, name="webhook-receiver", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self, timeout: float = 30) -> Receiver:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("webhook receiver did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()

    def seen(self) -> tuple[int, set[str]]:
        with self.lock:
            return len(self.ids), set(self.ids)


# -- the server process ---------------------------------------------------------------------


class ServerProcess:
    """``python -m api.cli serve`` as a child process in its own session, so
    that it (and only it) can be SIGKILLed."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path, idempotency_lease: float | None = None) -> None:
        self.env = env
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.idempotency_lease = idempotency_lease
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.startup_seconds: list[float] = []
        self.ready_walls: list[float] = []  # wall time at which each start answered /readyz

    def argv(self) -> list[str]:
        serve = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--no-upgrade-db"]
        if self.idempotency_lease is None:
            return [sys.executable, "-m", "api.cli", *serve]
        return [sys.executable, "-m", "bench.crashkit", "serve-with-lease", str(self.idempotency_lease), *serve]

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "server already running"
        with open(self.log_path, "ab") as log:
            log.write(f"\n--- start #{self.starts + 1} at {_now().isoformat()} ---\n".encode())
            log.flush()
            self.proc = subprocess.Popen(self.argv(), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.starts += 1
        self._started_at = time.monotonic()

    async def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5) as http:
            while True:
                if self.proc is None or self.proc.poll() is not None:
                    raise RuntimeError(f"server exited with {self.proc and self.proc.returncode}\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    r = await http.get("/readyz")
                    if r.status_code == 200:
                        self.startup_seconds.append(time.monotonic() - self._started_at)
                        self.ready_walls.append(time.time())
                        return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server not ready after {timeout:g}s\n{self.log_tail()}")
                await asyncio.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the server (its process group: our own child session)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(60)

    def stop(self, timeout: float = 30) -> None:
        """Graceful stop (SIGTERM), SIGKILL if it does not exit."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def exceptions(self, top: int = 10) -> dict[str, int]:
        """Exception lines of the server log (``Type: message``), counted:
        the first thing to read when a request got a 5xx."""
        import re

        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return {}
        found = Counter(m.group(0)[:160] for m in re.finditer(r"(?m)^[A-Za-z_][\w.]*(?:Error|Exception)\b.*$", text))
        return dict(found.most_common(top))

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _serve_with_lease(argv: list[str]) -> None:
    """``python -m bench.crashkit serve-with-lease SECONDS serve ...``: the
    real ``api.cli`` with a shorter HTTP in-flight lease."""
    import api.idempotency

    api.idempotency.IN_FLIGHT_LEASE_SECONDS = float(argv[0])
    from api.cli import app

    app(args=argv[1:], prog_name="xborder")


# -- data -----------------------------------------------------------------------------------------


def make_settings(url: str, data_dir: Path):
    from ledger.config import Settings

    return Settings(
        database_url=url,
        data_dir=data_dir,
        secret_key=base64.b64encode(os.urandom(32)).decode(),
        registry_key=base64.b64encode(os.urandom(32)).decode(),
        ledger_signing_key=base64.b64encode(os.urandom(32)).decode(),
        rates_url="",
        background_jobs=True,
        webhook_allow_private="127.0.0.1/32",  # the crash receiver listens on loopback
    )


def server_env(settings, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XBORDER_")}
    env.update(
        XBORDER_DATABASE_URL=settings.database_url,
        XBORDER_DATA_DIR=str(settings.data_dir),
        XBORDER_SECRET_KEY=settings.secret_key,
        XBORDER_REGISTRY_KEY=settings.registry_key,
        XBORDER_LEDGER_SIGNING_KEY=settings.ledger_signing_key,
        XBORDER_RATES_URL="",
        XBORDER_BACKGROUND_JOBS="true",
        XBORDER_LOG_FORMAT="text",
        XBORDER_WEBHOOK_ALLOW_PRIVATE=settings.webhook_allow_private,
        PYTHONUNBUFFERED="1",
    )
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra or {})
    return env


ACCOUNTS = [("bank_usd", "USD", "asset"), ("merchant_usd", "USD", "liability"), ("bank_jpy", "JPY", "asset"), ("merchant_jpy", "JPY", "liability")]


async def seed(settings) -> dict[str, Any]:
    """An institution with an API key, a ledger and USD and JPY accounts
    (no balance limits: every transfer must be accepted)."""
    from api.auth import issue_api_key
    from api.scopes import MIGRATED_SYSTEM_SCOPES
    from ledger.crypto import Keyring
    from ledger.db import create_engine
    from ledger.service import Ledger

    engine = create_engine(settings.database_url, settings=settings)
    try:
        led = Ledger(engine, settings)
        inst = await led.create_institution(f"crash-{uuid.uuid4().hex[:8]}", "Crash Bank")
        async with engine.begin() as conn:
            issued = await issue_api_key(conn, Keyring.from_settings(settings), inst.id, name="crash", scopes=MIGRATED_SYSTEM_SCOPES)
        ledger = await led.create_ledger(inst.id, "main", "Main")
        accounts = {}
        for code, cur, typ in ACCOUNTS:
            accounts[code] = str((await led.create_account(inst.id, ledger.id, code, cur, typ)).id)
        return {"institution_id": inst.id, "ledger_id": ledger.id, "key": issued["key"], "accounts": accounts}
    finally:
        await engine.dispose()


def transfer_body(seed_: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str, int]:
    """A two-leg transfer in USD (minor units 1..99,999) or JPY; returns the
    body, the currency and the amount in minor units."""
    a = seed_["accounts"]
    if rng.random() < 0.7:
        minor = rng.randint(1, 99_999)
        cur, amount, debit, credit = "USD", f"{minor // 100}.{minor % 100:02d}", a["bank_usd"], a["merchant_usd"]
    else:
        minor = rng.randint(1, 500_000)
        cur, amount, debit, credit = "JPY", str(minor), a["bank_jpy"], a["merchant_jpy"]
    if rng.random() < 0.5:  # both directions
        debit, credit = credit, debit
    body = {
        "postings": [
            {"account_id": debit, "side": "debit", "amount": amount, "currency": cur},
            {"account_id": credit, "side": "credit", "amount": amount, "currency": cur},
        ],
        "description": "crash-safety transfer",
    }
    return body, cur, minor


# -- load -------------------------------------------------------------------------------------


@dataclass
class Outstanding:
    key: str
    body: dict[str, Any]
    currency: str
    minor: int
    attempts: int = 0
    due: float = 0.0
    reason: Any = None
    failed_at: float | None = None  # wall time of the last attempt cut off by a kill


@dataclass
class LoadState:
    seed: dict[str, Any]
    rng: random.Random
    stop_new: asyncio.Event = field(default_factory=asyncio.Event)
    requests: int = 0
    retries: int = 0
    statuses: Counter = field(default_factory=Counter)
    acked: dict[str, str] = field(default_factory=dict)  # key -> transaction id
    sent: dict[str, Outstanding] = field(default_factory=dict)
    replayed_acks: int = 0
    # cut-off keys: key -> (failed at, acknowledged at, replayed, transaction id), wall times
    cutoff: dict[str, tuple[float, float, bool, str]] = field(default_factory=dict)
    anomalies: list[str] = field(default_factory=list)
    unexpected: Counter = field(default_factory=Counter)  # unexpected answers, by text
    acks_since_start: int = 0
    counter: int = 0
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def new_request(self, client: int) -> Outstanding:
        self.counter += 1
        body, cur, minor = transfer_body(self.seed, self.rng)
        o = Outstanding(f"crash-{self.run_id}-{client}-{self.counter}", body, cur, minor)
        self.sent[o.key] = o
        return o


async def _client(state: LoadState, base_url: str, client_no: int, retry_delay: float) -> None:
    path = TRANSFER_ROUTE.format(ledger_id=state.seed["ledger_id"])
    auth = {"Authorization": f"Bearer {state.seed['key']}"}
    parked: list[Outstanding] = []
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(60, connect=5), limits=limits) as http:
        while True:
            now = time.monotonic()
            parked.sort(key=lambda o: o.due)
            # while the server is down (or the database unavailable) wait for
            # it; while a key is merely held by a killed attempt's lease (409),
            # go on with new requests
            server_down = any(o.reason != 409 for o in parked)
            if parked and parked[0].due <= now:
                o = parked.pop(0)
            elif not state.stop_new.is_set() and not server_down:
                o = state.new_request(client_no)
            elif parked:
                await asyncio.sleep(min(0.5, parked[0].due - now))
                continue
            else:
                return
            if o.attempts:
                state.retries += 1
            o.attempts += 1
            state.requests += 1
            try:
                r = await http.post(path, json=o.body, headers={**auth, "Idempotency-Key": o.key})
            except httpx.HTTPError as exc:
                state.statuses[type(exc).__name__] += 1
                o.failed_at = time.time()
                o.reason = type(exc).__name__
                o.due = time.monotonic() + retry_delay
                parked.append(o)
                continue
            state.statuses[r.status_code] += 1
            if r.status_code == 201:
                tx_id = r.json()["id"]
                replayed = r.headers.get("Idempotent-Replayed") == "true"
                if replayed:
                    state.replayed_acks += 1
                if o.failed_at is not None and o.key not in state.cutoff:
                    state.cutoff[o.key] = (o.failed_at, time.time(), replayed, tx_id)
                if o.key in state.acked and state.acked[o.key] != tx_id:
                    state.anomalies.append(f"key {o.key} acknowledged as {state.acked[o.key]} and as {tx_id}")
                state.acked[o.key] = tx_id
                state.acks_since_start += 1
                continue
            ctype = r.headers.get("content-type", "")
            if r.status_code in (409, 503) and ctype.startswith(PROBLEM):
                # in flight (a killed attempt holds the key until its lease ends) / database unavailable
                o.reason = r.status_code
                o.due = time.monotonic() + (1.0 if r.status_code == 409 else retry_delay)
                parked.append(o)
                continue
            state.unexpected[f"HTTP {r.status_code} {ctype}: {r.text[:300]}"] += 1
            if r.status_code >= 500:  # a bug, but the request is still owed an answer
                o.reason = r.status_code
                o.due = time.monotonic() + retry_delay
                parked.append(o)


async def _killer(state: LoadState, server: ServerProcess, kills: int, max_gap: float, min_acks: int, stats: dict[str, Any]) -> None:
    rng = state.rng
    for _ in range(kills):
        await server.wait_ready()
        state.acks_since_start = 0
        # a random moment while the server is under load
        wait_until = time.monotonic() + 60
        while state.acks_since_start < min_acks and time.monotonic() < wait_until:
            await asyncio.sleep(0.01)
        await asyncio.sleep(rng.uniform(0, max_gap))
        server.kill()
        stats["kills"] += 1
        await asyncio.sleep(rng.uniform(0, 0.2))
        server.start()
    await server.wait_ready()


# -- checks -----------------------------------------------------------------------------------


async def cutoff_recovery(settings, cutoff: dict[str, tuple[float, float, bool, str]], ready_walls: list[float]) -> dict[str, Any]:
    """How the requests cut off by a kill were answered after the restart:
    seconds from the restarted server being ready to each key's definitive
    answer, and whether a key whose transaction the killed server had
    committed (recorded before the cut) was answered ``Idempotent-Replayed:
    true`` (it must be: the money had already moved)."""
    from sqlalchemy import select

    from ledger.db import create_engine
    from ledger.schema import transactions

    recorded: dict[str, float] = {}
    if cutoff:
        engine = create_engine(settings.database_url, settings=settings)
        try:
            async with engine.connect() as conn:
                ids = [uuid.UUID(v[3]) for v in cutoff.values()]
                for i in range(0, len(ids), 500):
                    rows = await conn.execute(select(transactions.c.id, transactions.c.recorded_at).where(transactions.c.id.in_(ids[i : i + 500])))
                    for tid, at in rows:
                        recorded[str(tid)] = (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()
        finally:
            await engine.dispose()
    waits, committed_before, problems = [], 0, []
    for key, (failed_at, acked_at, replayed, tx_id) in cutoff.items():
        ready = next((w for w in ready_walls if w >= failed_at), None)
        if ready is not None:
            waits.append(max(0.0, acked_at - ready))
        if tx_id in recorded and recorded[tx_id] < failed_at:
            committed_before += 1
            if not replayed:
                problems.append(f"key {key}: committed before the kill, answered after it without Idempotent-Replayed: true")
    waits.sort()
    return {
        "cutoff_keys": len(cutoff),
        "cutoff_committed_before_kill": committed_before,
        "cutoff_answer_p50_s": round(waits[len(waits) // 2], 2) if waits else None,
        "cutoff_answer_max_s": round(waits[-1], 2) if waits else None,
        "problems": problems[:20],
    }


async def check_ledger(settings, seed_: dict[str, Any], acked: dict[str, str], sent: dict[str, Outstanding] | None = None) -> dict[str, Any]:
    """Prove the ledger's state from the database (the server may be down):
    see the module docstring.  Returns counts and a list of ``problems``."""
    from sqlalchemy import func, select

    from ledger.db import create_engine
    from ledger.events import outbox_events
    from ledger.schema import postings, transactions
    from ledger.service import Ledger

    inst, led_id = seed_["institution_id"], seed_["ledger_id"]
    problems: list[str] = []
    engine = create_engine(settings.database_url, settings=settings)
    try:
        async with engine.connect() as conn:
            txs = (await conn.execute(select(transactions.c.id, transactions.c.idempotency_key, transactions.c.kind).where(transactions.c.institution_id == inst))).all()
            lines = (await conn.execute(select(postings.c.transaction_id, postings.c.currency, postings.c.amount, postings.c.phase).where(postings.c.institution_id == inst))).all()
            sums = {c: int(s) for c, s in (await conn.execute(select(postings.c.currency, func.sum(postings.c.amount)).where(postings.c.institution_id == inst).group_by(postings.c.currency))).all()}
            events = (await conn.execute(select(outbox_events.c.id, outbox_events.c.type, outbox_events.c.payload).where(outbox_events.c.institution_id == inst))).all()
        report = await Ledger(engine, settings).verify(inst, led_id, check_balances=True)
    finally:
        await engine.dispose()

    problems += _key_problems(txs, acked)
    problems += _shape_problems(txs, lines, sent)
    problems += _total_problems(txs, sums, report)
    posted_events = [e for e in events if e.type == "transaction.posted"]
    problems += _event_problems(txs, posted_events)
    return {
        "transactions": len(txs),
        "sums": sums,
        "chain_ok": report.ok,
        "chain_checked": report.transactions_checked,
        "events": len(posted_events),
        "event_ids": {str(e.id) for e in posted_events},
        "problems": problems,
    }


def _key_problems(txs: Any, acked: dict[str, str]) -> list[str]:
    problems: list[str] = []
    by_key = Counter(t.idempotency_key for t in txs)
    duplicates = {k: n for k, n in by_key.items() if n > 1}
    if duplicates:
        problems.append(f"{len(duplicates)} idempotency keys posted more than once: {list(duplicates.items())[:5]}")
    tx_by_key = {t.idempotency_key: t for t in txs}
    missing = [k for k in acked if f"http:{k}" not in tx_by_key]
    if missing:
        problems.append(f"{len(missing)} acknowledged transactions missing: {missing[:5]}")
    wrong_id = [k for k, tid in acked.items() if f"http:{k}" in tx_by_key and str(tx_by_key[f'http:{k}'].id) != tid]
    if wrong_id:
        problems.append(f"{len(wrong_id)} acknowledged ids differ from the stored transaction: {wrong_id[:5]}")
    acked_keys = {f"http:{k}" for k in acked}
    extra = [k for k in by_key if k not in acked_keys]
    if extra:
        problems.append(f"{len(extra)} transactions never acknowledged: {extra[:5]}")
    not_standard = [t for t in txs if t.kind != "standard"]
    if not_standard:
        problems.append(f"{len(not_standard)} transactions of another kind than 'standard'")

    return problems


def _shape_problems(txs: Any, lines: Any, sent: dict[str, Outstanding] | None) -> list[str]:
    problems: list[str] = []
    tx_ids = {str(t.id) for t in txs}
    per_tx: dict[str, list[Any]] = {}
    for ln in lines:
        per_tx.setdefault(str(ln.transaction_id), []).append(ln)
    orphan_lines = [t for t in per_tx if t not in tx_ids]
    if orphan_lines:
        problems.append(f"postings of {len(orphan_lines)} unknown transactions")
    bad_shape = 0
    wrong_amount = 0
    for t in txs:
        ls = per_tx.get(str(t.id), [])
        if len(ls) != 2 or sum(x.amount for x in ls) != 0 or any(x.phase != "posted" for x in ls):
            bad_shape += 1
            continue
        if sent is not None:
            o = sent.get(t.idempotency_key.removeprefix("http:"))
            if o is None or {x.currency for x in ls} != {o.currency} or sorted(abs(x.amount) for x in ls) != [o.minor, o.minor]:
                wrong_amount += 1
    if bad_shape:
        problems.append(f"{bad_shape} transactions without exactly two balanced posted lines (partial postings)")
    if wrong_amount:
        problems.append(f"{wrong_amount} transactions whose amounts differ from the request")
    return problems


def _total_problems(txs: Any, sums: dict[str, int], report: Any) -> list[str]:
    problems: list[str] = []
    nonzero = {c: s for c, s in sums.items() if s != 0}
    if nonzero:
        problems.append(f"postings do not sum to zero per currency: {nonzero}")
    if not report.ok:
        problems.append(f"chain verification failed at seq {report.first_bad_seq}: {report.problem}")
    if report.transactions_checked != len(txs):
        problems.append(f"verification checked {report.transactions_checked} of {len(txs)} transactions")

    return problems


def _event_problems(txs: Any, posted_events: Any) -> list[str]:
    problems: list[str] = []
    tx_ids = {str(t.id) for t in txs}
    ev_by_tx = Counter((e.payload or {}).get("transaction_id") for e in posted_events)
    no_event = [t for t in tx_ids if ev_by_tx.get(t, 0) == 0]
    if no_event:
        problems.append(f"{len(no_event)} transactions without a transaction.posted event")
    twice = {t: n for t, n in ev_by_tx.items() if n > 1}
    if twice:
        problems.append(f"{len(twice)} transactions with more than one event")
    stray = [t for t in ev_by_tx if t not in tx_ids]
    if stray:
        problems.append(f"{len(stray)} events of unknown transactions")
    return problems


async def drain_webhooks(settings, receiver: Receiver, event_ids: set[str], *, skip_lease: float) -> dict[str, Any]:
    """With the server stopped: deliver whatever is still pending -- leased
    deliveries of killed servers included -- with a dispatcher whose clock
    is ``skip_lease`` seconds ahead (as if the lease had run out)."""
    from sqlalchemy import func, select

    from api.netguard import NetPolicy
    from api.schema import webhook_deliveries
    from api.webhooks import WebhookDispatcher
    from ledger.crypto import Keyring
    from ledger.db import create_engine
    from ledger.events import outbox_events

    engine = create_engine(settings.database_url, settings=settings)
    attempted = 0
    try:
        async with WebhookDispatcher(engine, Keyring.from_settings(settings), base_delay=0.01, timeout=10.0, policy=NetPolicy.from_settings(settings)) as d:
            for _ in range(10_000):
                n = await d.run_once(_now() + timedelta(seconds=skip_lease))
                attempted += n
                async with engine.connect() as conn:
                    undispatched = (await conn.execute(select(func.count()).select_from(outbox_events).where(outbox_events.c.dispatched_at.is_(None)))).scalar_one()
                    pending = (await conn.execute(select(func.count()).select_from(webhook_deliveries).where(webhook_deliveries.c.status == "pending"))).scalar_one()
                if not undispatched and not pending:
                    break
                if n == 0:
                    await asyncio.sleep(0.05)
        async with engine.connect() as conn:
            by_status = dict((await conn.execute(select(webhook_deliveries.c.status, func.count()).group_by(webhook_deliveries.c.status))).all())
    finally:
        await engine.dispose()
    return {"drain_attempts": attempted, "delivery_status": by_status}


# -- one run ------------------------------------------------------------------------------------


async def _main(cfg: dict[str, Any], settings, workdir: Path) -> dict[str, Any]:
    t0 = time.monotonic()
    rng = random.Random(cfg["seed"])
    seed_ = await seed(settings)
    receiver = Receiver().start()
    port = free_port()
    server = ServerProcess(server_env(settings), port, workdir / "server.log", cfg["idempotency_lease"])
    state = LoadState(seed_, rng)
    stats: dict[str, Any] = {"kills": 0}
    result: dict[str, Any] = {"db": cfg["db"]}
    try:
        server.start()
        await server.wait_ready()
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            r = await http.post("/v1/webhook-endpoints", json={"url": receiver.url, "event_types": ["transaction.posted"]},
                                headers={"Authorization": f"Bearer {seed_['key']}", "Idempotency-Key": "crashkit-endpoint"})
            if r.status_code != 201:
                raise RuntimeError(f"webhook endpoint: HTTP {r.status_code} {r.text}")
        load_start = time.monotonic()
        clients = [asyncio.create_task(_client(state, server.base_url, i, cfg["retry_delay"])) for i in range(cfg["clients"])]
        try:
            await _killer(state, server, cfg["kills"], cfg["max_gap"], cfg["min_acks"], stats)
            remaining = cfg["duration"] - (time.monotonic() - load_start)
            if remaining > 0:
                await asyncio.sleep(remaining)
            state.stop_new.set()
            # every unacknowledged request is retried until acknowledged
            done, pending = await asyncio.wait(clients, timeout=cfg["drain_timeout"])
            for t in done:
                t.result()
            if pending:
                state.anomalies.append(f"{len(pending)} clients still had unacknowledged requests after {cfg['drain_timeout']}s")
        finally:
            for t in clients:
                t.cancel()
            await asyncio.gather(*clients, return_exceptions=True)
        load_seconds = time.monotonic() - load_start

        # let the server's own dispatcher deliver what it can
        from ledger.db import create_engine

        engine = create_engine(settings.database_url, settings=settings)
        try:
            from sqlalchemy import select

            from ledger.events import outbox_events

            async with engine.connect() as conn:
                expected = {str(x) for x in (await conn.execute(select(outbox_events.c.id).where(outbox_events.c.institution_id == seed_["institution_id"]))).scalars()}
        finally:
            await engine.dispose()
        deadline = time.monotonic() + cfg["webhook_wait"]
        last, last_change = -1, time.monotonic()
        while time.monotonic() < deadline:
            _, seen = receiver.seen()
            if expected <= seen:
                break
            if len(seen) != last:
                last, last_change = len(seen), time.monotonic()
            elif time.monotonic() - last_change > 3.0:  # the rest is leased by killed servers
                break
            await asyncio.sleep(0.2)
        delivered_by_server = len(expected & receiver.seen()[1])
        server.stop()

        drain = await drain_webhooks(settings, receiver, expected, skip_lease=3600)
        checks = await check_ledger(settings, seed_, state.acked, state.sent)
        recovery = await cutoff_recovery(settings, state.cutoff, server.ready_walls)
        total, seen = receiver.seen()
        event_ids = checks.pop("event_ids")
        undelivered = event_ids - seen
        problems = list(state.anomalies) + [f"{n} x {text}" for text, n in state.unexpected.most_common()] + checks.pop("problems") + recovery.pop("problems")
        if undelivered:
            problems.append(f"{len(undelivered)} events never delivered to the receiver")
        unacked = [k for k in state.sent if k not in state.acked]
        if unacked:
            problems.append(f"{len(unacked)} requests never acknowledged")
        if stats["kills"] != cfg["kills"]:
            problems.append(f"{stats['kills']} kills instead of {cfg['kills']}")
        result.update(
            requests=state.requests,
            acks=len(state.acked),
            replayed_acks=state.replayed_acks,
            kills=stats["kills"],
            retries=state.retries,
            statuses={str(k): v for k, v in sorted(state.statuses.items(), key=lambda kv: str(kv[0]))},
            deliveries=total,
            delivered_events=len(event_ids & seen),
            delivered_by_server=delivered_by_server,
            duplicates_delivered=total - len(seen),
            drain_attempts=drain["drain_attempts"],
            delivery_status=drain["delivery_status"],
            server_starts=server.starts,
            server_exceptions=server.exceptions(),
            mean_startup_s=round(sum(server.startup_seconds) / max(1, len(server.startup_seconds)), 2),
            load_seconds=round(load_seconds, 1),
            **recovery,
            **checks,
        )
        result["problems"] = problems
        result["ok"] = not problems
    finally:
        server.kill()
        receiver.stop()
    result["wall_seconds"] = round(time.monotonic() - t0, 1)
    return result


def run(
    db: str = "sqlite",
    *,
    kills: int = 20,
    clients: int = 8,
    duration: float = 0.0,
    max_gap: float = 1.0,
    min_acks: int = 3,
    idempotency_lease: float | None = None,
    pg_url: str | None = None,
    durable: bool = False,
    drain_timeout: float | None = None,
    webhook_wait: float = 15.0,
    retry_delay: float = 0.3,
    seed: int | None = None,
    workdir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """One crash-safety run; returns the counts and ``problems`` (empty when
    every property held) -- see the module docstring.

    ``db``: ``sqlite`` or ``postgresql``.  ``kills``: SIGKILLs of the server,
    each at a random moment within ``max_gap`` seconds after the restarted
    server has acknowledged ``min_acks`` requests.  ``duration``: minimum
    seconds of load.  ``pg_url``: an existing, empty or migrated PostgreSQL
    database (default: a throwaway server started here, ``durable`` or not).
    """
    if db not in ("sqlite", "postgresql"):
        raise ValueError("db must be 'sqlite' or 'postgresql'")
    from ledger.migrate import upgrade

    own_dir = workdir is None
    wd = Path(tempfile.mkdtemp(prefix=f"xb-crash-{db}-")) if own_dir else Path(workdir)
    wd.mkdir(parents=True, exist_ok=True)
    pg = None
    lease = idempotency_lease if idempotency_lease is not None else 60.0
    cfg = dict(
        db=db, kills=kills, clients=clients, duration=duration, max_gap=max_gap, min_acks=min_acks, idempotency_lease=idempotency_lease,
        drain_timeout=drain_timeout if drain_timeout is not None else lease + 120.0, webhook_wait=webhook_wait, retry_delay=retry_delay,
        seed=seed if seed is not None else random.randrange(2**32),
    )
    try:
        if db == "sqlite":
            url = f"sqlite+aiosqlite:///{wd / 'crash.db'}"
        elif pg_url:
            url = pg_url
        else:
            from tests.support.pgserver import PostgresServer

            # the database survives the server's SIGKILL; synchronous_commit
            # on so that an acknowledged commit is in the WAL even if durable=False
            pg = PostgresServer(durable=durable, extra_settings={"synchronous_commit": "on"}).start()
            pg.create_database("crash")
            url = pg.url("crash")
        upgrade(url)
        settings = make_settings(url, wd / "data")
        result = asyncio.run(_main(cfg, settings, wd))
        result["seed"] = cfg["seed"]
        result["clients"] = clients
        if not result.get("ok"):
            result["server_log"] = str(wd / "server.log")
        return result
    finally:
        if pg is not None:
            pg.stop()
        if own_dir and not os.environ.get("XBORDER_KEEP_CRASH_DIR"):
            shutil.rmtree(wd, ignore_errors=True)


SUMMARY_KEYS = (
    "db", "requests", "acks", "kills", "retries", "cutoff_keys", "cutoff_committed_before_kill", "cutoff_answer_p50_s", "cutoff_answer_max_s",
    "transactions", "events", "deliveries", "duplicates_delivered", "drain_attempts", "chain_ok", "sums", "wall_seconds")


def summary(result: dict[str, Any]) -> str:
    return " ".join(f"{k}={result.get(k)}" for k in SUMMARY_KEYS) + f" statuses={result.get('statuses')} problems={result.get('problems')}"


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "serve-with-lease":
        _serve_with_lease(sys.argv[2:])
    else:
        args = dict(a.split("=", 1) for a in sys.argv[1:])
        res = run(args.get("db", "sqlite"), kills=int(args.get("kills", 5)), idempotency_lease=float(args["lease"]) if "lease" in args else None)
        print(json.dumps(res, indent=2, default=str))
