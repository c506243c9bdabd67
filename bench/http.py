"""HTTP API load benchmark (issue #14): the real server (uvicorn, started the
way ``xborder serve`` starts it) on loopback, driven by Debian's ``wrk`` (a C
load generator, ``bench/wrk.py``; installed from apt when missing), on a
throwaway durable PostgreSQL, with its references measured in the same run.

    python -m bench.http [--quick] [--duration 15] [--memory-duration 300] [--no-sqlite] [--workers 1,2]
    python -m bench.http --profile      # also pyinstrument the single-posting path

What it does:

1. starts a durable PostgreSQL (``tests/support/pgserver.py``) and runs the
   pgbench references on it (``pgbench -i -s 8``, then ``-b simple-update``
   with 32 clients and ``-b tpcb-like`` with 8 clients, ``-j 2``);
2. the framework's ceiling: a trivial FastAPI route with a pydantic body
   (``bench/trivial_app.py``), served by uvicorn the same way, driven by the
   same ``wrk`` at 1 and 32 connections, for each worker count;
3. migrates a database, sets up an institution, a ledger, a bank settlement
   account and 1,000 merchant accounts, 100 class-A enterprise customers
   with a USD/CNY rate (for receipts), and issues a system API key (as
   ``xborder key issue`` does; Bearer authentication, no request signing:
   the institution does not require it);
4. for ``--workers`` 1 and 2: starts ``python -m api.cli serve --workers N``
   and drives, after a warm-up run, each point for a fixed duration, every
   request with its own ``Idempotency-Key``:

   * ``single`` at 1 and 32 connections: ``POST /v1/ledgers/{id}/transactions``
     (one transfer of two postings);
   * ``batch`` at 8 connections: ``POST /v1/ledgers/{id}/transactions/batch``
     with ``BATCH`` transfers;
   * ``receipt`` at 32 connections: ``POST /v1/receipts`` (a class-A
     enterprise customer's USD receipt, no evidence: credited);
   * ``receipt-batch`` at 8 connections: a receipts batch route, when the
     served OpenAPI document has one (a ``POST`` under ``/v1/receipts`` whose
     path contains ``batch``), ``RECEIPT_BATCH`` receipts per request;

   and records requests/s, transfers (receipts)/s, p50/p99 latency, errors,
   and the CPU shares of wrk, the server and PostgreSQL;
5. memory: a fresh server with the best worker count under single postings
   at 32 connections for ``--memory-duration`` seconds (default 300): peak
   RSS of the server's process tree and its growth after warm-up (the first
   fifth of the run);
6. checks: every request answered 2xx (batches with ``"failed":0``), the bank
   account's stored debits equal the amounts of the accepted transfers,
   ``Ledger.verify`` passes and the receipts stored equal those accepted.

Targets (issue #14), PostgreSQL, best of 1-2 workers: single postings at 32
connections >= 0.25x pgbench simple-update (32 clients) with p99 < 50 ms; at 1
connection p50 < 5 ms; batches of 100 at 8 connections >= 1x pgbench TPC-B
(8 clients) in transfers/s with p99 < 1 s; memory growth < 10 % after warm-up.
Receipts are reported as a ratio to single postings, our single-posting rate
as a ratio to the trivial route.  SQLite (``--sqlite``): single and batch
points only, no targets.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# run as a script, bench/ is sys.path[0] and this file would shadow the standard library's http
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("XBORDER_RATES_URL", "")

from bench import wrk as W  # noqa: E402

CURRENCY = "USD"
N_MERCHANTS = 1_000
N_CUSTOMERS = 100
BATCH = 100
RECEIPT_BATCH = 100
AMOUNT_MINOR = 100  # every transfer moves 1.00 USD: the bank's debits = 100 x accepted transfers
SECRET_KEY = base64.b64encode(b"H" * 32).decode()
REGISTRY_KEY = base64.b64encode(b"R" * 32).decode()
LEDGER_SIGNING_KEY = base64.b64encode(b"L" * 32).decode()

#: (kind, connections) measured for each worker count; SQLite: the ledger kinds only
POINTS = (("single", 1), ("single", 32), ("batch", 8), ("receipt", 32), ("receipt-batch", 8))
SQLITE_POINTS = (("single", 1), ("single", 32), ("batch", 8))
TRIVIAL_POINTS = (1, 32)
PER_REQUEST = {"single": 1, "batch": BATCH, "receipt": 1, "receipt-batch": RECEIPT_BATCH, "trivial": 1}

# targets (issue #14)
TARGET_SINGLE_VS_SIMPLE = 0.25
TARGET_P99_MS = 50.0
TARGET_P50_1_MS = 5.0
TARGET_BATCH_VS_TPCB = 1.0
TARGET_BATCH_P99_MS = 1000.0
TARGET_MEMORY_GROWTH = 0.10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log(msg: str) -> None:
    print(f"[http {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# request bodies


def _amount() -> str:
    return f"{AMOUNT_MINOR // 100}.{AMOUNT_MINOR % 100:02d}"


def transfer_bodies(bank: str, merchants: list[str], kind: str, n: int, seed: int) -> list[bytes]:
    """``n`` JSON bodies of single postings (one transfer) or batches of ``BATCH``."""
    rng = random.Random(seed)

    def transfer() -> dict:
        return {"postings": [
            {"account_id": bank, "side": "debit", "amount": _amount(), "currency": CURRENCY},
            {"account_id": rng.choice(merchants), "side": "credit", "amount": _amount(), "currency": CURRENCY},
        ]}

    docs = [transfer() if kind == "single" else {"transactions": [transfer() for _ in range(BATCH)]} for _ in range(n)]
    return [json.dumps(d, separators=(",", ":")).encode() for d in docs]


def receipt_doc(customer: str, ref: str | None = None) -> dict:
    doc = {"customer_id": customer, "currency": CURRENCY, "gross": _amount(), "net": _amount(), "customs_mode": "9610", "destination_country": "DE"}
    if ref is not None:
        doc["external_ref"] = ref
    return doc


def receipt_bodies(customers: list[str], n: int, seed: int, batch: dict | None = None) -> list[bytes]:
    """Single receipts (external_ref = the Idempotency-Key), or batches shaped
    as the batch route's schema says (``batch``: field, whether items take an
    ``external_ref``: then ``<key>-<i>``)."""
    rng = random.Random(seed)
    if batch is None:
        return [json.dumps(receipt_doc(rng.choice(customers)), separators=(",", ":")).encode() for _ in range(n)]
    docs = [{batch["field"]: [receipt_doc(rng.choice(customers), f"@@KEY@@-{i}" if batch["refs"] else None) for i in range(RECEIPT_BATCH)]} for _ in range(n)]
    return [json.dumps(d, separators=(",", ":")).encode() for d in docs]


def receipt_batch_route(openapi: dict) -> dict | None:
    """A receipts batch route in the served OpenAPI document: ``{"path", "field", "refs"}``, or None."""
    schemas = openapi.get("components", {}).get("schemas", {})

    def resolve(s: dict) -> dict:
        while "$ref" in s:
            s = schemas.get(s["$ref"].rsplit("/", 1)[-1], {})
        return s

    for path, ops in openapi.get("paths", {}).items():
        if not (path.startswith("/v1/receipts") and "batch" in path and "post" in ops and "{" not in path):
            continue
        content = ops["post"].get("requestBody", {}).get("content", {}).get("application/json", {})
        for name, prop in resolve(content.get("schema", {})).get("properties", {}).items():
            prop = resolve(prop)
            if prop.get("type") == "array":
                item = resolve(prop.get("items", {}))
                if "customer_id" in item.get("properties", {}):
                    return {"path": path, "field": name, "refs": "external_ref" in item["properties"]}
    return None


# --------------------------------------------------------------------------
# database set-up and the server


def _settings(url: str, data_dir: Path):
    from ledger.config import Settings

    return Settings(database_url=url, data_dir=data_dir, secret_key=SECRET_KEY, registry_key=REGISTRY_KEY, ledger_signing_key=LEDGER_SIGNING_KEY)


async def _setup_customers(ledger, settings, inst) -> list[str]:
    """Class-A enterprise customers with their accounts opened, and a USD/CNY rate for today."""
    from decimal import Decimal

    from ledger.crypto import Keyring
    from settlement import accounts as A
    from settlement.customers import open_customer
    from settlement.rates import RateService

    rates = RateService(ledger.engine, [])
    await rates.set_manual_rate(inst.id, "USD", "CNY", Decimal("7.1000"), as_of=RateService.today())
    keyring = Keyring.from_settings(settings)
    out = []
    for m in range(N_CUSTOMERS):
        c = await open_customer(ledger, keyring, inst.id, ref=f"C{m:04d}", kind="enterprise", name=f"Exporter {m}", fx_class="A", directory_registered=True)
        for k in ("current", "pending", "suspense"):
            await A.customer_account(ledger, inst.id, c.id, k, CURRENCY)
        out.append(str(c.id))
    return out


#: transfers already in the journal when the measurement starts (PostgreSQL)
HISTORY = 40_000


async def _history(ledger, inst_id) -> None:
    """``HISTORY`` transfers (with idempotency keys) in a ledger of their own,
    so the journal is not empty when the server plans its statements: a
    plan made while a table is empty (its key checks scanning the table) is
    kept by a connection until autovacuum's first ANALYZE of it, and its
    cost grows with every row posted meanwhile.  The measured ledger stays
    as it was (its own verification and bank total are unaffected)."""
    from ledger.model import CREDIT, DEBIT, NewTransaction, Posting

    led = await ledger.create_ledger(inst_id, "history", "History")
    accts = [(await ledger.create_account(inst_id, led.id, f"history-{n:03d}", CURRENCY, "asset")).id for n in range(100)]
    items = [
        NewTransaction(led.id, [Posting(accts[n % 50], 100, DEBIT, CURRENCY), Posting(accts[50 + (n // 50) % 50], 100, CREDIT, CURRENCY)], idempotency_key=f"history:{n}")
        for n in range(HISTORY)
    ]
    for start in range(0, HISTORY, 8000):
        results = await ledger.post_batch(inst_id, items[start : start + 8000])
        assert all(r.ok for r in results), next(r for r in results if not r.ok).code


async def setup_database(url: str, data_dir: Path, receipts: bool = True) -> dict:
    from api.auth import issue_api_key
    from api.scopes import MIGRATED_SYSTEM_SCOPES
    from ledger.crypto import Keyring
    from ledger.db import create_engine
    from ledger.service import Ledger

    settings = _settings(url, data_dir)
    engine = create_engine(url, settings=settings)
    ledger = Ledger(engine, settings)
    try:
        inst = await ledger.create_institution("HTTPBENCH", "HTTP benchmark bank")
        led = await ledger.create_ledger(inst.id, "main", "Main")
        bank = await ledger.create_account(inst.id, led.id, "bank-settlement-usd", CURRENCY, "asset", name="Settlement account")
        merchants = []
        for start in range(0, N_MERCHANTS, 500):
            async with engine.begin() as conn:
                for n in range(start, min(start + 500, N_MERCHANTS)):
                    a = await ledger.create_account(inst.id, led.id, f"merchant-{n:05d}-usd", CURRENCY, "liability", owner_ref=f"M{n:05d}", conn=conn)
                    merchants.append(str(a.id))
        customers = await _setup_customers(ledger, settings, inst) if receipts else []
        async with engine.begin() as conn:
            issued = await issue_api_key(conn, Keyring.from_settings(settings), inst.id, name="http-bench", scopes=MIGRATED_SYSTEM_SCOPES)
        if engine.dialect.name == "postgresql":
            await _history(ledger, inst.id)
            # planner statistics, as pgbench -i vacuums its tables: the
            # server's cached plans are those of a database in service
            async with engine.connect() as conn:
                await (await conn.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql("ANALYZE")
    finally:
        await ledger.close()
        await engine.dispose()
    return {"institution": str(inst.id), "ledger_id": str(led.id), "bank": str(bank.id), "merchants": merchants, "customers": customers, "key": issued["key"]}


async def check_database(url: str, data_dir: Path, info: dict, accepted: dict[str, int]) -> list[str]:
    """Bank debits = 1.00 x the ledger's transactions, ``Ledger.verify``, and
    transactions / receipts stored between those acknowledged and those plus
    the requests wrk left in flight when it stopped (they may have committed)."""
    from uuid import UUID

    from sqlalchemy import func, select

    from ledger.db import create_engine
    from ledger.service import Ledger
    from settlement.tables_receipts import receipts as receipts_table

    settings = _settings(url, data_dir)
    engine = create_engine(url, settings=settings)
    ledger = Ledger(engine, settings)
    problems = []
    try:
        inst, lid = UUID(info["institution"]), UUID(info["ledger_id"])
        rep = await ledger.verify(inst, lid, check_balances=True)
        if not rep.ok:
            problems.append(f"verify: {rep.problem}")
        stored = {"transfers": rep.transactions_checked}
        bank = await ledger.get_account(inst, UUID(info["bank"]))
        if bank.debits_posted != stored["transfers"] * AMOUNT_MINOR:
            problems.append(f"bank debits {bank.debits_posted:,} != {stored['transfers']:,} transactions x {AMOUNT_MINOR}")
        async with engine.connect() as conn:
            stored["receipts"] = (await conn.execute(select(func.count()).select_from(receipts_table).where(receipts_table.c.institution_id == inst))).scalar_one()
        for what, n in stored.items():
            lo, hi = accepted.get(what, 0), accepted.get(what, 0) + accepted.get(f"{what}_in_flight", 0)
            if not lo <= n <= hi:
                problems.append(f"{n:,} {what} stored, {lo:,} acknowledged (+ at most {hi - lo:,} in flight when wrk stopped)")
        accepted.update({f"{k}_stored": v for k, v in stored.items()})
    finally:
        await ledger.close()
        await engine.dispose()
    return problems


class Server:
    """A uvicorn server (``python -m <module> ... --port P --workers N``) in a
    child process of its own session: ``pid`` is the root of its process tree."""

    def __init__(self, module_args: list[str], workers: int, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        full_env = {**os.environ, "XBORDER_RATES_URL": "", "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
        self.log = log
        self._fh = open(log, "ab")  # noqa: SIM115 - the server writes to it until stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", *module_args, "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)],
            cwd=str(ROOT), env=full_env, stdout=self._fh, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.pid = self.proc.pid
        self._wait_ready()

    @classmethod
    def api(cls, url: str, data_dir: Path, workers: int, log: Path) -> Server:
        """``python -m api.cli serve`` as ``xborder serve`` runs it."""
        env = {"XBORDER_DATABASE_URL": url, "XBORDER_SECRET_KEY": SECRET_KEY, "XBORDER_REGISTRY_KEY": REGISTRY_KEY, "XBORDER_DATA_DIR": str(data_dir),
               "XBORDER_LEDGER_SIGNING_KEY": LEDGER_SIGNING_KEY}
        return cls(["api.cli", "serve", "--no-upgrade-db"], workers, log, env)

    @classmethod
    def trivial(cls, workers: int, log: Path) -> Server:
        """``bench/trivial_app.py``: the framework's ceiling."""
        return cls(["bench.trivial_app"], workers, log)

    def _wait_ready(self, timeout: float = 90) -> None:
        import httpx

        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; log {self.log}:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout}s; log {self.log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: uvicorn and its worker processes
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._fh.close()


# --------------------------------------------------------------------------
# measuring


def _point(res: W.WrkResult, kind: str, db: str, workers: int) -> dict:
    per = PER_REQUEST[kind]
    d = res.duration or 1.0
    return {
        "kind": kind, "clients": res.connections, "db": db, "workers": workers, "duration": res.duration, "requests": res.requests,
        "requests_s": res.requests / d, "transfers_s": res.ok * per / d, "p50_ms": res.ms("p50"), "p99_ms": res.ms("p99"), "max_ms": res.ms("max"),
        "errors": res.errors, "error_samples": res.samples[:2], "wrk_rps": res.wrk_rps, "wrk_latency": res.wrk_latency,
        "cpu": {k: res.share(k) for k in ("loadgen", "server", "database", "other")}, "cpu_text": W.describe_cpu(res),
    }


class Runner:
    """Drives the points (a warm-up run first, then the measured one) and
    counts what the server accepted, warm-ups included, for the checks."""

    def __init__(self, duration: float, warmup: float, db_pid: int | None, settle: Callable[[], None] | None = None) -> None:
        self.duration, self.warmup, self.db_pid = duration, warmup, db_pid
        #: run before each point (PostgreSQL: VACUUM ANALYZE and CHECKPOINT, as
        #: pgbench vacuums before its run): a point does not pay for the
        #: dead rows, statistics and dirty pages the points before it left
        self.settle = settle
        self.accepted = {"transfers": 0, "receipts": 0, "transfers_in_flight": 0, "receipts_in_flight": 0}

    def _count(self, kind: str, r: W.WrkResult) -> None:
        what = "transfers" if kind in ("single", "batch") else "receipts" if kind.startswith("receipt") else None
        if what:
            self.accepted[what] += r.ok * PER_REQUEST[kind]
            # requests still in flight when wrk stops are not counted by wrk but may commit: at most one per connection
            self.accepted[f"{what}_in_flight"] += r.connections * PER_REQUEST[kind]

    def drive(self, srv: Server, kind: str, path: str, bodies: list[bytes], conns: int, auth: str, duration: float | None = None) -> W.WrkResult:
        r = W.drive(srv.base, path, bodies, connections=conns, duration=duration or self.duration, auth=auth, server_pid=srv.pid, db_pid=self.db_pid)
        self._count(kind, r)
        return r

    def point(self, srv: Server, kind: str, path: str, bodies: list[bytes], conns: int, auth: str, db: str) -> dict:
        if self.settle is not None:
            self.settle()
        if self.warmup:
            self.drive(srv, kind, path, bodies, conns, auth, self.warmup)
        p = _point(self.drive(srv, kind, path, bodies, conns, auth), kind, db, srv.workers)
        _log(f"{db} workers={srv.workers} {kind:13} c={conns:2}: {_rate(p['transfers_s']):>8}/s, {_rate(p['requests_s']):>7} req/s, p50 {_f(p['p50_ms'], '.1f')} ms, "
             f"p99 {_f(p['p99_ms'], '.1f')} ms, errors {p['errors']}; CPU {p['cpu_text']} {p['error_samples'][:1]}")
        return p


def _routes(info: dict, srv: Server) -> dict[str, tuple[str, list[bytes]] | None]:
    """Path and bodies of each kind (``receipt-batch``: None when the server has no such route)."""
    import httpx

    lid, seed = info["ledger_id"], 7919
    routes: dict[str, tuple[str, list[bytes]] | None] = {
        "single": (f"/v1/ledgers/{lid}/transactions", transfer_bodies(info["bank"], info["merchants"], "single", 64, seed)),
        "batch": (f"/v1/ledgers/{lid}/transactions/batch", transfer_bodies(info["bank"], info["merchants"], "batch", 8, seed + 1)),
        "receipt": None, "receipt-batch": None,
    }
    if info["customers"]:
        routes["receipt"] = ("/v1/receipts", receipt_bodies(info["customers"], 64, seed + 2))
        try:
            doc = httpx.get(srv.base + "/openapi.json", timeout=30).json()
        except (httpx.HTTPError, ValueError):
            doc = {}
        found = receipt_batch_route(doc)
        if found:
            routes["receipt-batch"] = (found["path"], receipt_bodies(info["customers"], 8, seed + 3, found))
    return routes


def measure_memory(runner: Runner, srv: Server, routes: dict, auth: str, seconds: float, db: str) -> dict:
    """Single postings at 32 connections for ``seconds``: RSS of the server's
    process tree every second; growth = end vs the end of warm-up (the first fifth)."""
    path, bodies = routes["single"]
    with W.RssSampler(srv.pid) as sampler:
        r = runner.drive(srv, "single", path, bodies, 32, auth, seconds)
    samples = sampler.samples
    warm_t = seconds / 5
    after = [v for t, v in samples if t >= warm_t] or [samples[-1][1]]
    at_warm, end, peak = after[0], after[-1], max(v for _, v in samples)
    out = {
        "workers": srv.workers, "seconds": seconds, "warmup_s": warm_t, "samples": len(samples), "start_rss": samples[0][1], "warm_rss": at_warm,
        "end_rss": end, "peak_rss": peak, "growth": (end - at_warm) / at_warm if at_warm else None,
        "peak_growth": (max(after) - at_warm) / at_warm if at_warm else None, "point": _point(r, "single", db, srv.workers),
    }
    _log(f"{db} memory, {srv.workers} worker(s), {seconds:g} s at 32 connections: RSS {at_warm / 2**20:,.0f} MiB after warm-up, "
         f"{end / 2**20:,.0f} MiB at the end (growth {out['growth']:+.1%}), peak {peak / 2**20:,.0f} MiB")
    return out


def _best(points: list[dict], kind: str, clients: int) -> dict | None:
    cands = [p for p in points if p["kind"] == kind and p["clients"] == clients]
    return max(cands, key=lambda p: p["transfers_s"]) if cands else None


def run_database(db: str, url: str, data_dir: Path, workers: list[int], runner: Runner, *, points: tuple, memory_s: float = 0, profile: bool = False) -> dict:
    info = asyncio.run(setup_database(url, data_dir, receipts=any(k.startswith("receipt") for k, _ in points)))
    auth = f"Bearer {info['key']}"
    out: dict[str, Any] = {"points": [], "checks": None, "notes": []}
    log = data_dir / f"server-{db}.log"
    try:
        for w in workers:
            srv = Server.api(url, data_dir, w, log)
            try:
                routes = _routes(info, srv)
                for kind, c in points:
                    if routes.get(kind) is None:
                        note = f"{kind}: no such route on this server (not measured)"
                        if note not in out["notes"]:
                            out["notes"].append(note)
                        continue
                    path, bodies = routes[kind]
                    out["points"].append(runner.point(srv, kind, path, bodies, c, auth, db))
            finally:
                srv.stop()
        best = _best(out["points"], "single", 32)
        if memory_s and best:
            srv = Server.api(url, data_dir, best["workers"], log)
            try:
                out["memory"] = measure_memory(runner, srv, _routes(info, srv), auth, memory_s, db)
            finally:
                srv.stop()
        if profile:
            _log(f"{db}: profiling the single-posting path (in-process uvicorn, 32 connections) ...")
            out["profile"] = asyncio.run(_profile_single(url, data_dir, info, max(runner.duration, 5.0), 32, runner))
        out["checks"] = asyncio.run(check_database(url, data_dir, info, runner.accepted))
        out["accepted"] = dict(runner.accepted)
    except Exception as exc:  # noqa: BLE001
        out["error"] = f"{type(exc).__name__}: {exc}"
        _log(f"{db}: ERROR {out['error']}")
    return out


def run_trivial(workers: list[int], runner: Runner, log: Path) -> list[dict]:
    """The trivial FastAPI route at 1 and 32 connections, per worker count."""
    body = transfer_bodies("bank", ["merchant"], "single", 1, 1)
    out = []
    for w in workers:
        srv = Server.trivial(w, log)
        try:
            for c in TRIVIAL_POINTS:
                out.append(runner.point(srv, "trivial", "/v1/echo", body, c, "", "trivial"))
        finally:
            srv.stop()
    return out


# --------------------------------------------------------------------------
# profile of the single-posting path (pyinstrument, in-process uvicorn)


def _top_frames(session: Any) -> tuple[list, list]:
    selfs: dict[str, float] = {}
    incl: dict[str, float] = {}

    def walk(frame: Any, stack: frozenset) -> None:
        key = f"{frame.function} ({Path(frame.file_path or '?').name}:{frame.line_no})"
        selfs[key] = selfs.get(key, 0.0) + frame.total_self_time
        if key not in stack:
            incl[key] = incl.get(key, 0.0) + frame.time
        for ch in frame.children:
            if not ch.is_synthetic:  # [self]/[await] leaves are already in total_self_time
                walk(ch, stack | {key})

    root = session.root_frame() if session else None
    if root is not None:
        walk(root, frozenset())
    top_self = sorted(selfs.items(), key=lambda kv: -kv[1])[:5]
    ours = [(k, v) for k, v in incl.items() if any(m in k for m in ("posting.py", "service.py", "idempotency.py", "auth.py", "ledger.py", "app.py", "db.py"))]
    return top_self, sorted(ours, key=lambda kv: -kv[1])[:8]


async def _profile_single(url: str, data_dir: Path, info: dict, seconds: float, clients: int, runner: Runner) -> dict:
    import uvicorn
    from pyinstrument import Profiler

    from api.app import create_app
    from ledger.config import Settings

    settings = Settings(database_url=url, data_dir=data_dir, secret_key=SECRET_KEY, registry_key=REGISTRY_KEY, ledger_signing_key=LEDGER_SIGNING_KEY, rates_url="", background_jobs=False)
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    path, bodies = f"/v1/ledgers/{info['ledger_id']}/transactions", transfer_bodies(info["bank"], info["merchants"], "single", 64, 1)
    loop = asyncio.get_running_loop()

    def drive() -> W.WrkResult:
        r = W.drive(f"http://127.0.0.1:{port}", path, bodies, connections=clients, duration=seconds, auth=f"Bearer {info['key']}", server_pid=os.getpid())
        runner.accepted["transfers"] += r.ok
        runner.accepted["transfers_in_flight"] += clients
        return r

    prof = Profiler(interval=0.001, async_mode="disabled")
    prof.start()
    res = await loop.run_in_executor(None, drive)
    prof.stop()
    server.should_exit = True
    await task
    session = prof.last_session
    top_self, top_incl = _top_frames(session)
    text = prof.output_text(unicode=False, color=False, show_all=False) if session else ""
    return {"result": _point(res, "single", "profile", 1), "duration": session.duration if session else 0.0, "top_self": top_self, "top_incl": top_incl, "text": text}


# --------------------------------------------------------------------------
# running


def pgbench_references(server: Any, seconds: int) -> dict[str, dict]:
    """``pgbench -i -s 8``, then simple-update at 32 clients and TPC-B-like at 8 (``-j 2``)."""
    from bench.ledger import _parse_tps, _run_pgbench

    server.create_database("pgbench")
    _run_pgbench(server, ["-i", "-s", "8", "-q"], "pgbench", timeout=900)
    out = {}
    for key, args in (("simple-32", ["-b", "simple-update", "-c", "32", "-j", "2", "-T", str(seconds)]), ("tpcb-8", ["-b", "tpcb-like", "-c", "8", "-j", "2", "-T", str(seconds)])):
        tps, lat = _parse_tps(_run_pgbench(server, args, "pgbench", timeout=seconds + 600))
        out[key] = {"args": args, "tps": tps, "latency_ms": lat}
        _log(f"pgbench {' '.join(args)}: {tps:,.0f} tps")
    return out


def _settle_pg(server: Any, dbname: str) -> None:
    """``VACUUM (ANALYZE)`` of the bench database, then ``CHECKPOINT``."""
    t0 = time.perf_counter()
    server.psql("VACUUM (ANALYZE)", dbname)
    server.psql("CHECKPOINT", dbname)
    _log(f"settled the database (VACUUM ANALYZE, CHECKPOINT) in {time.perf_counter() - t0:.1f} s")


def _run_pg(res: dict, tmpd: Path, workers: list[int], runner_args: tuple[float, float], pgbench_s: int, memory_s: float, profile: bool) -> None:
    from ledger.migrate import upgrade
    from tests.support.pgserver import PostgresServer

    server = PostgresServer(durable=True).start()
    try:
        _log(f"PostgreSQL (durable) on {server.host}:{server.port}; pgbench references ...")
        try:
            res["pgbench"] = pgbench_references(server, pgbench_s)
        except Exception as exc:  # noqa: BLE001
            res["pgbench_error"] = str(exc)
        runner = Runner(*runner_args, W.postmaster_pid(server.datadir))
        res["trivial"] = run_trivial(workers, runner, tmpd / "server-trivial.log")
        server.create_database("http_bench")
        runner.settle = lambda: _settle_pg(server, "http_bench")
        url = server.url("http_bench")
        upgrade(url)
        d = tmpd / "pg"
        d.mkdir()
        res["databases"]["PostgreSQL"] = run_database("PostgreSQL", url, d, workers, runner, points=POINTS, memory_s=memory_s, profile=profile)
    finally:
        server.stop()


def run(*, quick: bool = False, duration: float | None = None, sqlite: bool = True, pg: bool = True, workers: tuple[int, ...] = (1, 2),
        profile: bool = False, memory_duration: float | None = None) -> dict:
    """Run the HTTP benchmark; returns the measurements (see ``to_markdown``)."""
    from ledger.migrate import upgrade

    W.ensure_wrk()
    duration = duration or (4.0 if quick else 15.0)
    warmup = 1.0 if quick else 2.0
    memory_s = memory_duration if memory_duration is not None else (20.0 if quick else 300.0)
    res: dict[str, Any] = {"cores": os.cpu_count(), "duration": duration, "warmup": warmup, "batch": BATCH, "receipt_batch": RECEIPT_BATCH, "databases": {},
                           "pgbench": None, "trivial": [], "workers": list(workers), "wrk": _wrk_version()}
    with tempfile.TemporaryDirectory(prefix="xborder-http-bench-") as tmp:
        tmpd = Path(tmp)
        if pg:
            _run_pg(res, tmpd, list(workers), (duration, warmup), 3 if quick else 10, memory_s, profile)
        if sqlite:
            d = tmpd / "sqlite"
            d.mkdir()
            url = f"sqlite+aiosqlite:///{d / 'xborder.db'}"
            upgrade(url)
            res["databases"]["SQLite"] = run_database("SQLite", url, d, list(workers), Runner(duration, warmup, None), points=SQLITE_POINTS)
    return res


def _wrk_version() -> str:
    try:
        out = subprocess.run([W.ensure_wrk(), "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, RuntimeError, subprocess.SubprocessError):
        return "wrk"
    return (out.stdout + out.stderr).split("Copyright")[0].strip() or "wrk"


# --------------------------------------------------------------------------
# report


def _f(x: float | None, fmt: str = ",.0f") -> str:
    return "-" if x is None else format(x, fmt)


def _rate(x: float | None) -> str:
    """A rate: whole numbers, one decimal below 10 (so that 0.4/s is not "0")."""
    return "-" if x is None else format(x, ",.0f" if x >= 10 or x == 0 else ".1f")


def _ratio(r: float | None) -> str:
    if r is None:
        return "-"
    return f"{r:.2f}x" if r >= 0.1 else f"{r:.3f}x"


def _ms(p: dict | None, key: str) -> str:
    return "-" if p is None or p.get(key) is None else f"{p[key]:,.1f} ms"


def _ref(res: dict, key: str) -> float | None:
    return ((res.get("pgbench") or {}).get(key) or {}).get("tps")


def _row(name: str, figure: str, ratio: str, target: str, verdict: bool | None) -> dict:
    return {"name": name, "figure": figure, "ratio": ratio, "target": target, "verdict": verdict}


def _posting_targets(res: dict, pts: list[dict]) -> list[dict]:
    simple, tpcb = _ref(res, "simple-32"), _ref(res, "tpcb-8")
    rows = []
    s32, s1, b8 = _best(pts, "single", 32), _best(pts, "single", 1), _best(pts, "batch", 8)
    if s32:
        r = s32["transfers_s"] / simple if simple else None
        ok = r is not None and r >= TARGET_SINGLE_VS_SIMPLE and s32["p99_ms"] is not None and s32["p99_ms"] < TARGET_P99_MS
        rows.append(_row(f"HTTP single posting, 32 connections, best of 1-2 workers ({s32['workers']})", f"{_rate(s32['transfers_s'])}/s, p99 {_ms(s32, 'p99_ms')}",
                         f"{_ratio(r)} simple-update c32", f">= {TARGET_SINGLE_VS_SIMPLE}x, p99 < {TARGET_P99_MS:g} ms", ok))
    if s1:
        ok = s1["p50_ms"] is not None and s1["p50_ms"] < TARGET_P50_1_MS
        rows.append(_row(f"HTTP single posting, 1 connection ({s1['workers']} worker(s))", f"{_rate(s1['transfers_s'])}/s, p50 {_ms(s1, 'p50_ms')}, p99 {_ms(s1, 'p99_ms')}",
                         "-", f"p50 < {TARGET_P50_1_MS:g} ms", ok))
    if b8:
        r = b8["transfers_s"] / tpcb if tpcb else None
        ok = r is not None and r >= TARGET_BATCH_VS_TPCB and b8["p99_ms"] is not None and b8["p99_ms"] < TARGET_BATCH_P99_MS
        rows.append(_row(f"HTTP batch of {BATCH}, 8 connections ({b8['workers']} worker(s))", f"{_rate(b8['transfers_s'])} transfers/s, p99 {_ms(b8, 'p99_ms')}",
                         f"{_ratio(r)} TPC-B c8", f">= {TARGET_BATCH_VS_TPCB:g}x, p99 < {TARGET_BATCH_P99_MS:g} ms", ok))
    return rows


def _other_targets(res: dict, d: dict) -> list[dict]:
    pts = d.get("points", [])
    s32, s1 = _best(pts, "single", 32), _best(pts, "single", 1)
    rows = []
    for kind, c, label in (("receipt", 32, "single, 32 connections"), ("receipt-batch", 8, f"batch of {RECEIPT_BATCH}, 8 connections")):
        p = _best(pts, kind, c)
        if p is None:
            rows.append(_row(f"Settlement receipts over HTTP, {label}", "not measured (no such route on this tree)" if kind == "receipt-batch" else "not measured", "-", "reported", None))
            continue
        r = p["transfers_s"] / s32["transfers_s"] if s32 and s32["transfers_s"] else None
        rows.append(_row(f"Settlement receipts over HTTP, {label} ({p['workers']} worker(s))", f"{_rate(p['transfers_s'])} receipts/s, p99 {_ms(p, 'p99_ms')}",
                         f"{_ratio(r)} HTTP single posting c32", "reported", None))
    for c, ours in ((32, s32), (1, s1)):
        t = _best(res.get("trivial", []), "trivial", c)
        if t:
            r = ours["transfers_s"] / t["requests_s"] if ours and t["requests_s"] else None
            rows.append(_row(f"Framework ceiling: trivial FastAPI route, {c} connection(s) ({t['workers']} worker(s))", f"{t['requests_s']:,.0f} req/s, p99 {_ms(t, 'p99_ms')}",
                             f"single posting = {_ratio(r)} of it", "reported", None))
    m = d.get("memory")
    if m:
        ok = m["growth"] is not None and m["growth"] < TARGET_MEMORY_GROWTH
        rows.append(_row(f"Server memory, {m['seconds']:g} s at 32 connections ({m['workers']} worker(s))",
                         f"peak RSS {m['peak_rss'] / 2**20:,.0f} MiB; {m['warm_rss'] / 2**20:,.0f} -> {m['end_rss'] / 2**20:,.0f} MiB after warm-up",
                         f"growth {m['growth']:+.1%}", f"growth < {TARGET_MEMORY_GROWTH:.0%}", ok))
    shares = [p["cpu"]["loadgen"] for p in pts + res.get("trivial", []) if p["cpu"].get("loadgen") is not None]
    if shares:
        rows.append(_row("Load generator (wrk) CPU share, largest of all points", f"{max(shares):.0%} of the machine", "-", "not the bottleneck", None))
    return rows


def targets(res: dict) -> list[dict]:
    """The issue #14 targets with the figures of this run (PostgreSQL)."""
    d = res.get("databases", {}).get("PostgreSQL")
    if not d:
        return []
    return _posting_targets(res, d.get("points", [])) + _other_targets(res, d)


def verdict(v: bool | None) -> str:
    return "n/a" if v is None else ("met" if v else "**not met**")


def _point_ratio(res: dict, p: dict, pts: list[dict]) -> str:
    if p["db"] != "PostgreSQL":
        return "-"
    if p["kind"] == "single":
        ref = _ref(res, "simple-32")
        return f"{_ratio(p['transfers_s'] / ref)} simple-update c32" if ref else "-"
    if p["kind"] == "batch":
        ref = _ref(res, "tpcb-8")
        return f"{_ratio(p['transfers_s'] / ref)} TPC-B c8" if ref else "-"
    s32 = next((q for q in pts if q["kind"] == "single" and q["clients"] == 32 and q["workers"] == p["workers"]), None)
    return f"{_ratio(p['transfers_s'] / s32['transfers_s'])} single c32" if s32 and s32["transfers_s"] else "-"


def _points_table(res: dict) -> list[str]:
    md = ["| database | workers | route | connections | per second | requests/s | p50 ms | p99 ms | errors | ratio | CPU share of the machine |",
          "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    route = {"single": "single posting", "batch": f"batch of {res['batch']}", "receipt": "receipt", "receipt-batch": f"receipt batch of {res.get('receipt_batch', RECEIPT_BATCH)}",
             "trivial": "trivial FastAPI route"}
    groups = [("trivial", res.get("trivial", []))] + [(db, d.get("points", [])) for db, d in res["databases"].items()]
    for db, pts in groups:
        for p in pts:
            ratio = _point_ratio(res, p, pts) if db != "trivial" else "-"
            md.append(f"| {db} | {p['workers']} | {route[p['kind']]} | {p['clients']} | {_rate(p['transfers_s'])} | {_rate(p['requests_s'])} | {_f(p['p50_ms'], '.1f')} | "
                      f"{_f(p['p99_ms'], '.1f')} | {p['errors']:,} | {ratio} | {p['cpu_text']} |")
    return md


def _profile_md(db: str, prof: dict) -> list[str]:
    dur = prof["duration"]
    md = ["", f"Profile of the single-posting path on {db} (pyinstrument, in-process uvicorn, wrk at 32 connections, {dur:.1f} s, "
          f"{prof['result']['transfers_s']:,.0f} transfers/s while profiled): top 5 frames by own time", "", "| frame | own time s | share |", "|---|---:|---:|"]
    md += [f"| `{k}` | {v:.2f} | {v / dur:.0%} |" if dur else f"| `{k}` | {v:.2f} | - |" for k, v in prof["top_self"]]
    md += ["", "Our code, by inclusive time:", "", "| frame | inclusive s | share |", "|---|---:|---:|"]
    md += [f"| `{k}` | {v:.2f} | {v / dur:.0%} |" if dur else f"| `{k}` | {v:.2f} | - |" for k, v in prof["top_incl"]]
    return md


def to_markdown(res: dict) -> str:
    simple, tpcb = (res.get("pgbench") or {}).get("simple-32"), (res.get("pgbench") or {}).get("tpcb-8")
    md = [
        f"cores: {res['cores']}; server: `python -m api.cli serve` (uvicorn, loopback, as `xborder serve`); load generator: `{res.get('wrk', 'wrk')}` "
        f"(`wrk -t min(connections, cores) -c N --latency -s <script>`, a fresh `Idempotency-Key` per request, Bearer system key, no request signing); "
        f"{res['duration']:g} s per point after a {res['warmup']:g} s warm-up run; single = one transfer (2 postings) per request, batch = {res['batch']} transfers; "
        "PostgreSQL durable (fsync, synchronous_commit on), settled before each point (`VACUUM (ANALYZE)` and `CHECKPOINT`, as pgbench vacuums "
        "before its run); SQLite WAL + synchronous=FULL. CPU shares: of the whole machine (cores x wall) during the measured run; "
        "'other' = the rest of the machine (other processes).",
        "",
        "pgbench references (same PostgreSQL, same run): " + "; ".join(
            f"`pgbench {' '.join(r['args'])}` = **{r['tps']:,.0f} tps**" for r in (simple, tpcb) if r) if simple or tpcb else f"pgbench references: not available ({res.get('pgbench_error', 'PostgreSQL not run')})",
        "",
        *_points_table(res),
        "",
        "Targets (issue #14), PostgreSQL, same run:",
        "",
        "| measure | figure | ratio | target | verdict |",
        "|---|---:|---:|---|---|",
        *[f"| {r['name']} | {r['figure']} | {r['ratio']} | {r['target']} | {verdict(r['verdict'])} |" for r in targets(res)],
        "",
    ]
    for db, d in res["databases"].items():
        if d.get("error"):
            md.append(f"- {db}: **error**: {d['error']}")
        for note in d.get("notes", []):
            md.append(f"- {db}: {note}")
        if d.get("checks") is not None:
            acc = d.get("accepted", {})
            md.append(f"- {db}: {acc.get('transfers', 0):,} transfers and {acc.get('receipts', 0):,} receipts acknowledged in all (warm-ups included), "
                      f"{acc.get('transfers_stored', 0):,} and {acc.get('receipts_stored', 0):,} stored (the difference: requests in flight when wrk stopped, "
                      "at most one per connection); bank debits = transactions x 1.00, `Ledger.verify`: " + ("ok" if not d["checks"] else f"**{len(d['checks'])} problems**: {'; '.join(d['checks'])}"))
        samples = [s for p in d.get("points", []) for s in p.get("error_samples", [])]
        if samples:
            md.append(f"- {db}: error samples: " + "; ".join(f"`{s[:160]}`" for s in samples[:3]))
        if d.get("profile"):
            md += _profile_md(db, d["profile"])
    return "\n".join(md) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--duration", type=float, help="seconds per point (default 15, quick 4)")
    p.add_argument("--memory-duration", type=float, help="seconds of the memory run at 32 connections (default 300, quick 20; 0 = skip)")
    p.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--pg", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--workers", default="1,2", help="uvicorn worker counts to try (default 1,2)")
    p.add_argument("--profile", action="store_true", help="pyinstrument the single-posting path on PostgreSQL")
    p.add_argument("--out", help="write the Markdown here")
    a = p.parse_args(argv)
    res = run(quick=a.quick, duration=a.duration, sqlite=a.sqlite, pg=a.pg, workers=tuple(int(x) for x in a.workers.split(",")), profile=a.profile,
              memory_duration=a.memory_duration)
    md = to_markdown(res)
    print(md)
    if a.profile:
        for d in res["databases"].values():
            if d.get("profile"):
                print(d["profile"]["text"])
    if a.out:
        Path(a.out).write_text(md)
    bad = any(d.get("error") or d.get("checks") for d in res["databases"].values())
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
