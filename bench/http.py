"""HTTP API load benchmark: the real server (uvicorn, started the way
``xborder serve`` starts it) on loopback, driven by a load generator in a
separate process, on a throwaway durable PostgreSQL and on SQLite.

    python -m bench.http [--quick] [--duration 15] [--no-sqlite] [--workers 1,2]
    python -m bench.http --profile      # also pyinstrument the single-posting path

What it does:

1. starts a durable PostgreSQL (``tests/support/pgserver.py``), runs the
   pgbench reference on it (``pgbench -i -s 8``, then ``-b simple-update``
   with 32 clients, ``-j 2``);
2. for each database (PostgreSQL, then a SQLite file): migrates it, sets up
   an institution, a ledger, a bank settlement account and 1,000 merchant
   accounts, and issues an API key (as ``xborder key issue`` does);
3. for ``--workers`` 1 and 2: starts ``python -m api.cli serve --workers N``
   on a free loopback port and, from a separate process (asyncio + httpx,
   keep-alive connections), drives for a fixed duration with 1, 8 and 32
   concurrent clients:

   * single postings: ``POST /v1/ledgers/{id}/transactions`` (one transfer,
     two postings, a fresh ``Idempotency-Key`` per request);
   * batch postings: ``POST /v1/ledgers/{id}/transactions/batch`` with
     ``BATCH`` transfers per request;

   and records throughput (transfers/s and requests/s) and p50/p99 latency of
   the requests (a warm-up second is not counted);
4. checks: every request answered 2xx (batches with ``"failed":0``), the bank
   account's stored debits equal the amounts of the accepted transfers, and
   ``Ledger.verify`` (hash chain + balances) passes.

Target (issue #7): 32-client single postings >= 0.5x pgbench simple-update
at 32 clients on the same server, with p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# run as a script, bench/ is sys.path[0] and this file would shadow the standard library's http
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("XBORDER_RATES_URL", "")

CURRENCY = "USD"
N_MERCHANTS = 1_000
BATCH = 100
CONCURRENCY = (1, 8, 32)
AMOUNT_MINOR = 100  # every transfer moves 1.00 USD: the bank's debits = 100 x accepted transfers
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
SECRET_KEY = base64.b64encode(b"H" * 32).decode()
REGISTRY_KEY = base64.b64encode(b"R" * 32).decode()
LEDGER_SIGNING_KEY = base64.b64encode(b"L" * 32).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------
# the load generator (runs in a separate process)


def _bodies(ledger_id: str, bank: str, merchants: list[str], kind: str, n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    amount = f"{AMOUNT_MINOR // 100}.{AMOUNT_MINOR % 100:02d}"

    def transfer() -> dict:
        return {"postings": [
            {"account_id": bank, "side": "debit", "amount": amount, "currency": CURRENCY},
            {"account_id": rng.choice(merchants), "side": "credit", "amount": amount, "currency": CURRENCY},
        ]}

    out = []
    for _ in range(n):
        doc = transfer() if kind == "single" else {"transactions": [transfer() for _ in range(BATCH)]}
        out.append(json.dumps(doc, separators=(",", ":")).encode())
    return out


async def _drive(base: str, key: str, ledger_id: str, bank: str, merchants: list[str], kind: str, clients: int, duration: float, warmup: float) -> dict:
    import httpx

    path = f"/v1/ledgers/{ledger_id}/transactions" + ("/batch" if kind == "batch" else "")
    bodies = _bodies(ledger_id, bank, merchants, kind, 64 if kind == "single" else 8, seed=clients * 7919 + len(kind))
    per_req = 1 if kind == "single" else BATCH
    lat: list[float] = []
    statuses: dict[str, int] = {}
    accepted = 0  # transfers accepted in the whole run (warm-up included): for the balance check
    counted = 0  # transfers accepted in the measured window
    samples: list[str] = []
    t_start = time.perf_counter()
    t_measure = t_start + warmup
    t_end = t_measure + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:

        async def worker(w: int) -> None:
            nonlocal accepted, counted
            i = w
            while True:
                now = time.perf_counter()
                if now >= t_end:
                    return
                body = bodies[i % len(bodies)]
                i += clients
                headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"}
                t0 = time.perf_counter()
                try:
                    r = await client.post(path, content=body, headers=headers)
                    status, content = r.status_code, r.content
                except httpx.HTTPError as exc:
                    status, content = type(exc).__name__, b""
                t1 = time.perf_counter()
                ok = status in (200, 201) and (kind == "single" or content.endswith(b'"failed":0}'))
                if ok:
                    accepted += per_req
                elif len(samples) < 3:
                    samples.append(f"{status}: {content[:300]!r}")
                if t_measure <= t1 <= t_end:  # completed in the measured window (slow batches may start before it)
                    lat.append(t1 - t0)
                    statuses[str(status)] = statuses.get(str(status), 0) + 1
                    if ok:
                        counted += per_req

        cpu0 = time.process_time()
        await asyncio.gather(*(worker(w) for w in range(clients)))
        cpu = time.process_time() - cpu0
    lat.sort()

    def pct(p: float) -> float | None:
        if not lat:
            return None
        return lat[min(len(lat) - 1, int(round(p * (len(lat) - 1))))] * 1000

    return {
        "kind": kind, "clients": clients, "duration": duration, "requests": len(lat), "transfers": counted,
        "transfers_s": counted / duration, "requests_s": len(lat) / duration, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(lat) * 1000 if lat else None, "statuses": statuses, "accepted_total": accepted,
        "errors": sum(v for k, v in statuses.items() if k not in ("200", "201")), "error_samples": samples,
        "client_cpu": cpu / (time.perf_counter() - t_start),
    }


def load_generator(*args: Any) -> dict:
    """Entry point of the separate load-generator process."""
    return asyncio.run(_drive(*args))


# --------------------------------------------------------------------------
# database set-up and the server


async def setup_database(url: str, data_dir: Path) -> dict:
    from api.auth import issue_api_key
    from api.scopes import MIGRATED_SYSTEM_SCOPES
    from ledger.config import Settings
    from ledger.crypto import Keyring
    from ledger.db import create_engine
    from ledger.service import Ledger

    settings = Settings(database_url=url, data_dir=data_dir, secret_key=SECRET_KEY, registry_key=REGISTRY_KEY, ledger_signing_key=LEDGER_SIGNING_KEY)
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
        async with engine.begin() as conn:
            issued = await issue_api_key(conn, Keyring.from_settings(settings), inst.id, name="http-bench", scopes=MIGRATED_SYSTEM_SCOPES)
    finally:
        await ledger.close()
        await engine.dispose()
    return {"institution": str(inst.id), "ledger_id": str(led.id), "bank": str(bank.id), "merchants": merchants, "key": issued["key"]}


async def check_database(url: str, data_dir: Path, info: dict, accepted: int) -> list[str]:
    from uuid import UUID

    from ledger.config import Settings
    from ledger.db import create_engine
    from ledger.service import Ledger

    settings = Settings(database_url=url, data_dir=data_dir, secret_key=SECRET_KEY, registry_key=REGISTRY_KEY, ledger_signing_key=LEDGER_SIGNING_KEY)
    engine = create_engine(url, settings=settings)
    ledger = Ledger(engine, settings)
    problems = []
    try:
        inst, lid = UUID(info["institution"]), UUID(info["ledger_id"])
        bank = await ledger.get_account(inst, UUID(info["bank"]))
        if bank.debits_posted != accepted * AMOUNT_MINOR:
            problems.append(f"bank debits {bank.debits_posted:,} != {accepted:,} accepted transfers x {AMOUNT_MINOR}")
        rep = await ledger.verify(inst, lid, check_balances=True)
        if not rep.ok:
            problems.append(f"verify: {rep.problem}")
        if rep.transactions_checked != accepted:
            problems.append(f"verify checked {rep.transactions_checked:,} transactions, {accepted:,} accepted")
    finally:
        await ledger.close()
        await engine.dispose()
    return problems


class Server:
    """``python -m api.cli serve`` (uvicorn) in a child process."""

    def __init__(self, url: str, data_dir: Path, workers: int, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ, "XBORDER_DATABASE_URL": url, "XBORDER_SECRET_KEY": SECRET_KEY, "XBORDER_REGISTRY_KEY": REGISTRY_KEY, "XBORDER_LEDGER_SIGNING_KEY": LEDGER_SIGNING_KEY, "XBORDER_DATA_DIR": str(data_dir),
            "XBORDER_RATES_URL": "", "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        self.log = log
        self._fh = open(log, "ab")  # noqa: SIM115 - the server writes to it until stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers), "--no-upgrade-db"],
            cwd=str(ROOT), env=env, stdout=self._fh, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait_ready()

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
# profile of the single-posting path (pyinstrument, in-process uvicorn)


async def _profile_single(url: str, data_dir: Path, info: dict, seconds: float, clients: int, pool: ProcessPoolExecutor) -> dict:
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
    loop = asyncio.get_running_loop()
    base = f"http://127.0.0.1:{port}"
    args = (base, info["key"], info["ledger_id"], info["bank"], info["merchants"], "single", clients, seconds, 1.0)
    prof = Profiler(interval=0.001, async_mode="disabled")
    fut = loop.run_in_executor(pool, load_generator, *args)
    await asyncio.sleep(1.0)  # warm-up second of the generator, not profiled
    prof.start()
    res = await fut
    prof.stop()
    server.should_exit = True
    await task
    session = prof.last_session
    total = session.duration if session else 0.0
    selfs: dict[str, float] = {}
    incl: dict[str, float] = {}

    def walk(frame, stack: frozenset) -> None:
        key = f"{frame.function} ({Path(frame.file_path or '?').name}:{frame.line_no})"
        t_self = frame.total_self_time
        selfs[key] = selfs.get(key, 0.0) + t_self
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
    top_ours = sorted(ours, key=lambda kv: -kv[1])[:8]
    text = prof.output_text(unicode=False, color=False, show_all=False) if session else ""
    return {"result": res, "duration": total, "top_self": top_self, "top_incl": top_ours, "text": text}


# --------------------------------------------------------------------------
# running


def _pgbench_simple_update(server, clients: int, seconds: int) -> dict:
    from bench.ledger import _parse_tps, _run_pgbench

    server.create_database("pgbench")
    _run_pgbench(server, ["-i", "-s", "8", "-q"], "pgbench", timeout=900)
    args = ["-b", "simple-update", "-c", str(clients), "-j", "2", "-T", str(seconds)]
    tps, lat = _parse_tps(_run_pgbench(server, args, "pgbench", timeout=seconds + 600))
    return {"args": args, "tps": tps, "latency_ms": lat}


def _log(msg: str) -> None:
    print(f"[http {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_database(db: str, url: str, data_dir: Path, workers: list[int], duration: float, warmup: float, pool: ProcessPoolExecutor, profile: bool = False) -> dict:
    info = asyncio.run(setup_database(url, data_dir))
    out: dict[str, Any] = {"points": [], "checks": None}
    accepted = 0
    log = data_dir / f"server-{db}.log"
    try:
        for w in workers:
            srv = Server(url, data_dir, w, log)
            try:
                for kind in ("single", "batch"):
                    for c in CONCURRENCY:
                        args = (srv.base, info["key"], info["ledger_id"], info["bank"], info["merchants"], kind, c, duration, warmup)
                        res = pool.submit(load_generator, *args).result()
                        res.update(db=db, workers=w)
                        accepted += res["accepted_total"]
                        out["points"].append(res)
                        p99 = f"{res['p99_ms']:.1f}" if res["p99_ms"] is not None else "-"
                        _log(f"{db} workers={w} {kind:6} c={c:2}: {res['transfers_s']:8,.0f} transfers/s, {res['requests_s']:7,.0f} req/s, p99 {p99} ms, errors {res['errors']} {res['error_samples'][:1]}")
            finally:
                srv.stop()
        if profile:
            _log(f"{db}: profiling the single-posting path (in-process uvicorn, 32 clients) ...")
            prof = asyncio.run(_profile_single(url, data_dir, info, max(duration, 5.0), 32, pool))
            accepted += prof["result"]["accepted_total"]
            out["profile"] = prof
        out["checks"] = asyncio.run(check_database(url, data_dir, info, accepted))
        out["accepted"] = accepted
    except Exception as exc:  # noqa: BLE001
        out["error"] = f"{type(exc).__name__}: {exc}"
        _log(f"{db}: ERROR {out['error']}")
    return out


def run(*, quick: bool = False, duration: float | None = None, sqlite: bool = True, pg: bool = True, workers: tuple[int, ...] = (1, 2), profile: bool = False) -> dict:
    """Run the HTTP benchmark; returns the measurements (see ``to_markdown``)."""
    from ledger.migrate import upgrade
    from tests.support.pgserver import PostgresServer

    duration = duration or (4.0 if quick else 15.0)
    warmup = 1.0 if quick else 2.0
    pgbench_s = 3 if quick else 10
    res: dict[str, Any] = {"cores": os.cpu_count(), "duration": duration, "warmup": warmup, "batch": BATCH, "databases": {}, "pgbench": None, "workers": list(workers)}
    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool, tempfile.TemporaryDirectory(prefix="xborder-http-bench-") as tmp:
        tmpd = Path(tmp)
        if pg:
            server = PostgresServer(durable=True).start()
            try:
                _log(f"PostgreSQL (durable) on {server.host}:{server.port}; pgbench simple-update reference ...")
                try:
                    res["pgbench"] = _pgbench_simple_update(server, 32, pgbench_s)
                    _log(f"pgbench -b simple-update -c 32: {res['pgbench']['tps']:,.0f} tps")
                except Exception as exc:  # noqa: BLE001
                    res["pgbench_error"] = str(exc)
                server.create_database("http_bench")
                url = server.url("http_bench")
                upgrade(url)
                d = tmpd / "pg"
                d.mkdir()
                res["databases"]["PostgreSQL"] = run_database("PostgreSQL", url, d, list(workers), duration, warmup, pool, profile)
            finally:
                server.stop()
        if sqlite:
            d = tmpd / "sqlite"
            d.mkdir()
            url = f"sqlite+aiosqlite:///{d / 'xborder.db'}"
            upgrade(url)
            res["databases"]["SQLite"] = run_database("SQLite", url, d, list(workers), duration, warmup, pool, False)
    return res


# --------------------------------------------------------------------------
# report


def _f(x: float | None, fmt: str = ",.0f") -> str:
    return "-" if x is None else format(x, fmt)


def _ratio(r: float | None) -> str:
    if r is None:
        return "-"
    return f"{r:.2f}x" if r >= 0.1 else f"{r:.3f}x"


def to_markdown(res: dict) -> str:
    pgb = res.get("pgbench")
    ref = pgb["tps"] if pgb else None
    md = [
        f"cores: {res['cores']}; server: `python -m api.cli serve` (uvicorn, loopback, JSON request logs as in production); load generator: a separate process "
        f"(asyncio + httpx, keep-alive); {res['duration']:g} s per point after {res['warmup']:g} s warm-up; single = one transfer per request, "
        f"batch = {res['batch']} transfers per request; every transfer is 2 postings; PostgreSQL durable; SQLite WAL + synchronous=FULL.",
        "",
        f"pgbench reference (same PostgreSQL, same run): `pgbench {' '.join(pgb['args'])}` = **{ref:,.0f} tps**" if pgb else f"pgbench reference: not available ({res.get('pgbench_error', 'PostgreSQL not run')})",
        "",
        "| database | workers | route | clients | transfers/s | requests/s | p50 ms | p99 ms | errors | ratio to pgbench simple-update c32 | load-gen CPU |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for db, d in res["databases"].items():
        for p in d.get("points", []):
            ratio = _ratio(p["transfers_s"] / ref) if ref and db == "PostgreSQL" else "-"
            md.append(
                f"| {db} | {p['workers']} | {'single' if p['kind'] == 'single' else 'batch ' + str(res['batch'])} | {p['clients']} | {_f(p['transfers_s'])} | {_f(p['requests_s'])} | "
                f"{_f(p['p50_ms'], '.1f')} | {_f(p['p99_ms'], '.1f')} | {p['errors']:,} | {ratio} | {p['client_cpu']:.0%} |"
            )
    md.append("")
    md.append(f"Target (issue #7): single postings with 32 clients >= {TARGET_RATIO}x pgbench simple-update (32 clients), p99 < {TARGET_P99_MS:g} ms, on PostgreSQL:")
    md.append("")
    md += ["| workers | transfers/s | ratio | target | p99 ms | target | verdict |", "|---:|---:|---:|---:|---:|---:|---|"]
    pgd = res["databases"].get("PostgreSQL", {})
    for p in pgd.get("points", []):
        if p["kind"] == "single" and p["clients"] == 32:
            ratio = p["transfers_s"] / ref if ref else None
            ok = ratio is not None and ratio >= TARGET_RATIO and p["p99_ms"] is not None and p["p99_ms"] < TARGET_P99_MS
            md.append(
                f"| {p['workers']} | {_f(p['transfers_s'])} | {_ratio(ratio)} | >= {TARGET_RATIO}x | {_f(p['p99_ms'], '.1f')} | < {TARGET_P99_MS:g} | {'met' if ok else '**not met**'} |"
            )
    md.append("")
    for db, d in res["databases"].items():
        if d.get("error"):
            md.append(f"- {db}: **error**: {d['error']}")
        checks = d.get("checks")
        if checks is not None:
            md.append(f"- {db}: {d.get('accepted', 0):,} transfers accepted in all; bank balance = accepted x 1.00 and `Ledger.verify`: " + ("ok" if not checks else f"**{len(checks)} problems**: {checks[0]}"))
        samples = [s for p in d.get("points", []) for s in p.get("error_samples", [])]
        if samples:
            md.append(f"- {db}: error samples: " + "; ".join(f"`{s[:160]}`" for s in samples[:3]))
        prof = d.get("profile")
        if prof:
            md.append("")
            md.append(f"Profile of the single-posting path on {db} (pyinstrument, in-process uvicorn, 32 clients, {prof['duration']:.1f} s, "
                      f"{prof['result']['transfers_s']:,.0f} transfers/s while profiled): top 5 frames by own time")
            md.append("")
            md += ["| frame | own time s | share |", "|---|---:|---:|"]
            for k, v in prof["top_self"]:
                md.append(f"| `{k}` | {v:.2f} | {v / prof['duration']:.0%} |" if prof["duration"] else f"| `{k}` | {v:.2f} | - |")
            md.append("")
            md.append("Our code, by inclusive time:")
            md.append("")
            md += ["| frame | inclusive s | share |", "|---|---:|---:|"]
            for k, v in prof["top_incl"]:
                md.append(f"| `{k}` | {v:.2f} | {v / prof['duration']:.0%} |" if prof["duration"] else f"| `{k}` | {v:.2f} | - |")
    return "\n".join(md) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--duration", type=float, help="seconds per point (default 15, quick 4)")
    p.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--pg", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--workers", default="1,2", help="uvicorn worker counts to try (default 1,2)")
    p.add_argument("--profile", action="store_true", help="pyinstrument the single-posting path on PostgreSQL")
    p.add_argument("--out", help="write the Markdown here")
    a = p.parse_args(argv)
    res = run(quick=a.quick, duration=a.duration, sqlite=a.sqlite, pg=a.pg, workers=tuple(int(x) for x in a.workers.split(",")), profile=a.profile)
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
