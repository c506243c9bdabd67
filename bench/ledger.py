"""Ledger throughput benchmark, with pgbench on the same server as reference.

Run from the repository root::

    python bench/ledger.py              # full run (a few minutes)
    python -m bench.ledger --quick      # short smoke run
    python bench/ledger.py --no-sqlite --out bench-results.md
    python bench/ledger.py --profile pyinstrument   # also profile PG batch-8000
    python bench/ledger.py --analyze    # ANALYZE after each warm-up (steady-state plans)

pyinstrument is not a project dependency: ``pip install pyinstrument`` to use
``--profile pyinstrument`` (``--profile cprofile`` needs nothing).

What it does:

1. starts ONE durable PostgreSQL server (fsync, synchronous_commit and
   full_page_writes at their defaults) for the whole run and measures the
   reference with pgbench on it: ``pgbench -i -s 8``, then the TPC-B-like
   script at 8 clients and the simple-update script (``-N``) at 8 and 32
   clients (``-j 2``);
2. measures ledger transfers per second on that server (database migrated
   with the project's Alembic migrations) and on SQLite (a file in a temp
   dir, default settings: WAL + synchronous=FULL).  A transfer is one
   NewTransaction with two postings in one currency.  Modes: ``Ledger.post``
   by one sequential caller and by 32 concurrent callers (group commit), and
   ``Ledger.post_batch`` with batches of 1,000 and 8,000; each for a uniform
   workload (random pairs among 10,000 accounts) and a hot-account workload
   (one side is always the same settlement account);
3. checks every result is ok, the stored balances against the amounts the
   benchmark posted, and ``Ledger.verify`` (hash chain + balances);
4. prints the tables with the ratios to the pgbench reference and the
   targets (batched >= 10x TPC-B-like tps, 32 single callers >= 0.5x
   simple-update tps at 32 clients, hot >= 0.5x uniform).

The server is stopped at the end, also on Ctrl-C, SIGTERM or error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

ROOT = Path(__file__).resolve().parent.parent
# run as a script, the bench/ directory is sys.path[0]: drop it so that
# bench/http.py does not shadow the standard library's ``http`` package
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import select  # noqa: E402

from ledger.config import Settings  # noqa: E402
from ledger.db import create_engine  # noqa: E402
from ledger.migrate import upgrade_async  # noqa: E402
from ledger.model import CREDIT, DEBIT, NewTransaction, Posting, Result  # noqa: E402
from ledger.schema import accounts as accounts_table  # noqa: E402
from ledger.service import Ledger  # noqa: E402
from tests.support.pgserver import PostgresServer  # noqa: E402

console = Console() if sys.stdout.isatty() else Console(width=150)

CURRENCY = "USD"
N_ACCOUNTS = 10_000
SINGLE_CALLERS = 32
MODES = ("single-1", "single-32", "batch-1000", "batch-8000")
WORKLOADS = ("uniform", "hot")
MODE_LABEL = {
    "single-1": "post, 1 caller",
    "single-32": f"post, {SINGLE_CALLERS} callers",
    "batch-1000": "post_batch 1,000",
    "batch-8000": "post_batch 8,000",
}

# targets
BATCH_VS_TPCB = 10.0
SINGLE32_VS_SIMPLE32 = 0.5
HOT_VS_UNIFORM = 0.5


@dataclass(frozen=True)
class Volumes:
    pgbench_seconds: int
    single_1: int
    single_32: int
    batch: int  # transfers per batch mode (a multiple of 8,000)
    warm_single: int

    def timed(self, mode: str) -> int:
        return {"single-1": self.single_1, "single-32": self.single_32}.get(mode, self.batch)


FULL = Volumes(pgbench_seconds=10, single_1=3_000, single_32=12_800, batch=48_000, warm_single=200)
QUICK = Volumes(pgbench_seconds=3, single_1=300, single_32=1_280, batch=8_000, warm_single=50)


# --------------------------------------------------------------------------
# pgbench


@dataclass
class PgbenchResult:
    name: str
    args: list[str]
    tps: float
    latency_ms: float | None


def _pgbench_bin(server: PostgresServer) -> str:
    if server.bindir is not None and (server.bindir / "pgbench").is_file():
        return str(server.bindir / "pgbench")
    found = shutil.which("pgbench")
    if not found:
        raise RuntimeError("pgbench not found")
    return found


def _run_pgbench(server: PostgresServer, args: list[str], db: str, timeout: float) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    argv = [_pgbench_bin(server), "-h", server.host, "-p", str(server.port), "-U", "postgres", *args, db]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"pgbench {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout + proc.stderr


def _parse_tps(out: str) -> tuple[float, float | None]:
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out) or re.search(r"tps = ([0-9.]+)", out)
    if not m:
        raise RuntimeError(f"cannot find tps in pgbench output:\n{out}")
    lat = re.search(r"latency average = ([0-9.]+) ms", out)
    return float(m.group(1)), (float(lat.group(1)) if lat else None)


def run_pgbench_reference(server: PostgresServer, seconds: int) -> dict[str, PgbenchResult]:
    db = "pgbench"
    server.create_database(db)
    console.log("pgbench: initialising scale 8 ...")
    _run_pgbench(server, ["-i", "-s", "8", "-q"], db, timeout=900)
    runs = {
        "tpcb-8": ("TPC-B-like, 8 clients", ["-c", "8", "-j", "2", "-T", str(seconds)]),
        "simple-8": ("simple-update (-N), 8 clients", ["-N", "-c", "8", "-j", "2", "-T", str(seconds)]),
        "simple-32": ("simple-update (-N), 32 clients", ["-N", "-c", "32", "-j", "2", "-T", str(seconds)]),
    }
    out: dict[str, PgbenchResult] = {}
    for key, (name, args) in runs.items():
        text = _run_pgbench(server, args, db, timeout=seconds + 600)
        tps, lat = _parse_tps(text)
        out[key] = PgbenchResult(name, args, tps, lat)
        console.log(f"pgbench {name}: {tps:,.0f} tps")
    return out


# --------------------------------------------------------------------------
# the ledger fixture


@dataclass
class Fixture:
    db: str
    ledger: Ledger
    inst: UUID
    ledger_id: UUID
    accounts: list[UUID]
    hot: UUID
    rng: random.Random
    #: account -> [debits, credits] the benchmark has had accepted
    expected: dict[UUID, list[int]] = field(default_factory=dict)
    #: ANALYZE the ledger tables after each warm-up (steady-state planner statistics)
    analyze: bool = False
    refusals: int = 0
    refusal_samples: list[str] = field(default_factory=list)
    posted: int = 0


async def make_fixture(db: str, url: str) -> Fixture:
    settings = Settings(database_url=url)
    engine = create_engine(url, settings=settings)
    await upgrade_async(engine)
    ledger = Ledger(engine, settings)
    inst = await ledger.create_institution("BENCH", "Benchmark bank")
    led = await ledger.create_ledger(inst.id, "MAIN", "Benchmark ledger")
    hot = await ledger.create_account(inst.id, led.id, "SETTLEMENT", CURRENCY, "asset", name="bank settlement account")
    ids: list[UUID] = []
    t0 = time.perf_counter()
    chunk = 500
    for start in range(0, N_ACCOUNTS, chunk):
        async with engine.begin() as conn:
            for n in range(start, min(start + chunk, N_ACCOUNTS)):
                a = await ledger.create_account(inst.id, led.id, f"CUST-{n:05d}", CURRENCY, "liability", conn=conn)
                ids.append(a.id)
    console.log(f"{db}: created {N_ACCOUNTS:,} accounts in {time.perf_counter() - t0:.1f}s")
    return Fixture(db, ledger, inst.id, led.id, ids, hot.id, random.Random(20240601))


def make_transfers(fx: Fixture, n: int, hot: bool) -> list[NewTransaction]:
    rng, accts, lid = fx.rng, fx.accounts, fx.ledger_id
    out = []
    for _ in range(n):
        amount = rng.randint(1, 100_000)
        if hot:
            other = accts[rng.randrange(len(accts))]
            dr, cr = (fx.hot, other) if rng.random() < 0.5 else (other, fx.hot)
        else:
            dr, cr = rng.sample(accts, 2)
        out.append(NewTransaction(lid, [Posting(dr, amount, DEBIT, CURRENCY), Posting(cr, amount, CREDIT, CURRENCY)]))
    return out


def account_results(fx: Fixture, items: list[NewTransaction], results: list[Result]) -> None:
    if len(results) != len(items):
        raise AssertionError(f"{len(items)} items but {len(results)} results")
    for it, res in zip(items, results, strict=False):
        if res.ok:
            fx.posted += 1
            for p in it.postings:
                e = fx.expected.setdefault(p.account_id, [0, 0])
                e[0 if p.side == DEBIT else 1] += p.amount
        else:
            fx.refusals += 1
            if len(fx.refusal_samples) < 5:
                fx.refusal_samples.append(f"{res.code}: {res.error}")


async def run_mode(fx: Fixture, mode: str, items: list[NewTransaction]) -> list[Result]:
    ledger, inst = fx.ledger, fx.inst
    if mode == "single-1":
        return [await ledger.post(inst, it, raise_on_error=False) for it in items]
    if mode == "single-32":
        results: list[Any] = [None] * len(items)

        async def caller(k: int) -> None:
            for i in range(k, len(items), SINGLE_CALLERS):
                results[i] = await ledger.post(inst, items[i], raise_on_error=False)

        await asyncio.gather(*(caller(k) for k in range(SINGLE_CALLERS)))
        return results
    size = int(mode.split("-")[1])
    out: list[Result] = []
    for i in range(0, len(items), size):
        out.extend(await ledger.post_batch(inst, items[i : i + size]))
    return out


@dataclass
class Measurement:
    db: str
    workload: str
    mode: str
    transfers: int
    seconds: float
    cpu_seconds: float
    refused: int

    @property
    def rate(self) -> float:
        return self.transfers / self.seconds if self.seconds > 0 else 0.0

    @property
    def client_cpu(self) -> float:
        return self.cpu_seconds / self.seconds if self.seconds > 0 else 0.0


async def measure(fx: Fixture, workload: str, mode: str, vol: Volumes) -> Measurement:
    hot = workload == "hot"
    warm_n = vol.warm_single if mode.startswith("single") else int(mode.split("-")[1])
    warm = make_transfers(fx, warm_n, hot)
    account_results(fx, warm, await run_mode(fx, mode, warm))
    if fx.analyze:
        async with fx.ledger.engine.begin() as conn:
            for table in ("accounts", "transactions", "postings", "account_day_balances", "ledgers"):
                await conn.exec_driver_sql(f"ANALYZE {table}")
    items = make_transfers(fx, vol.timed(mode), hot)
    before = fx.refusals
    cpu0, t0 = time.process_time(), time.perf_counter()
    results = await run_mode(fx, mode, items)
    t1, cpu1 = time.perf_counter(), time.process_time()
    account_results(fx, items, results)
    m = Measurement(fx.db, workload, mode, len(items), t1 - t0, cpu1 - cpu0, fx.refusals - before)
    flag = f" [red]{m.refused} REFUSED[/red]" if m.refused else ""
    console.log(f"{fx.db} {workload:7} {MODE_LABEL[mode]:18} {m.transfers:>7,} in {m.seconds:6.2f}s = {m.rate:>9,.0f}/s (client CPU {m.client_cpu:4.0%}){flag}")
    return m


async def check_fixture(fx: Fixture, verify: bool) -> list[str]:
    """Stored balances against what the benchmark posted; then Ledger.verify."""
    problems: list[str] = []
    async with fx.ledger.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(accounts_table.c.id, accounts_table.c.debits_posted, accounts_table.c.credits_posted).where(
                    accounts_table.c.ledger_id == fx.ledger_id
                )
            )
        ).all()
    for r in rows:
        d, c = fx.expected.get(r.id, [0, 0])
        if (r.debits_posted, r.credits_posted) != (d, c):
            problems.append(f"account {r.id}: stored debits/credits ({r.debits_posted}, {r.credits_posted}) != posted by the benchmark ({d}, {c})")
    if verify:
        t0 = time.perf_counter()
        rep = await fx.ledger.verify(fx.inst, fx.ledger_id, check_balances=True)
        console.log(f"{fx.db}: verify checked {rep.transactions_checked:,} transactions in {time.perf_counter() - t0:.1f}s: {'ok' if rep.ok else rep.problem}")
        if not rep.ok:
            problems.append(f"verify: {rep.problem}")
        if rep.transactions_checked != fx.posted:
            problems.append(f"verify checked {rep.transactions_checked} transactions, the benchmark posted {fx.posted}")
    return problems


# --------------------------------------------------------------------------
# profiling


async def profile_batch(fx: Fixture, kind: str, batches: int, out_file: str | None) -> str:
    items = make_transfers(fx, 8000 * batches, hot=False)
    account_results(fx, items[:8000], await fx.ledger.post_batch(fx.inst, items[:8000]))  # warm
    items = make_transfers(fx, 8000 * batches, hot=False)

    async def work() -> None:
        for i in range(0, len(items), 8000):
            chunk = items[i : i + 8000]
            account_results(fx, chunk, await fx.ledger.post_batch(fx.inst, chunk))

    if kind == "pyinstrument":
        from pyinstrument import Profiler

        prof = Profiler(interval=0.0005, async_mode="enabled")
        prof.start()
        await work()
        prof.stop()
        text = prof.output_text(unicode=True, color=False, show_all=False)
        if out_file:
            Path(out_file).write_text(prof.output_html() if out_file.endswith(".html") else text)
        return text
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    await work()
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(35)
    st.sort_stats("cumulative").print_stats(35)
    if out_file:
        prof.dump_stats(out_file)
    return buf.getvalue()


# --------------------------------------------------------------------------
# reporting


def _verdict(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "n/a"
    return "PASS" if ratio >= target else "FAIL"


def build_rows(ms: dict[tuple[str, str], Measurement], ref: dict[str, PgbenchResult]) -> list[list[str]]:
    """One row per mode: rates, hot/uniform, the pgbench reference and ratios."""
    rows = []
    for mode in MODES:
        u, h = ms.get(("uniform", mode)), ms.get(("hot", mode))
        cells = [MODE_LABEL[mode], f"{u.rate:,.0f}" if u else "-", f"{h.rate:,.0f}" if h else "-"]
        if u and h:
            r = h.rate / u.rate
            cells.append(f"{r:.2f}x {_verdict(r, HOT_VS_UNIFORM)}")
        else:
            cells.append("-")
        if mode.startswith("batch") and "tpcb-8" in ref:
            base, target, label = ref["tpcb-8"].tps, BATCH_VS_TPCB, "TPC-B c8"
        elif mode == "single-32" and "simple-32" in ref:
            base, target, label = ref["simple-32"].tps, SINGLE32_VS_SIMPLE32, "simple-upd c32"
        else:
            base, target, label = None, None, ""
        if base:
            cells.append(f"{label}: {base:,.0f}")
            for m in (u, h):
                cells.append(f"{m.rate / base:.2f}x {_verdict(m.rate / base, target)}" if m else "-")
            cells.append(f">= {target:g}x")
        else:
            cells += ["-", "-", "-", "-"]
        cells.append("/".join(f"{m.client_cpu:.0%}" for m in (u, h) if m) or "-")
        rows.append(cells)
    return rows


HEADERS = ["mode", "uniform /s", "hot /s", "hot/uniform (>= 0.5x)", "pgbench ref tps", "uniform/ref", "hot/ref", "ref target", "client CPU u/h"]


def _style(cell: str) -> str:
    if cell.endswith("PASS"):
        return f"[green]{cell}[/green]"
    if cell.endswith("FAIL"):
        return f"[bold red]{cell}[/bold red]"
    return cell


def print_report(
    cores: int | None,
    ref: dict[str, PgbenchResult],
    results: dict[str, dict[tuple[str, str], Measurement]],
    checks: dict[str, list[str]],
    fixtures: dict[str, Fixture],
    extra_head: str = "",
) -> str:
    """Print rich tables; return the same content as Markdown."""
    md: list[str] = []
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = f"cores (os.cpu_count()): {cores}; run at {stamp}; PostgreSQL durable (fsync on, synchronous_commit on); SQLite WAL + synchronous=FULL"
    if extra_head:
        head += "; " + extra_head
    console.print()
    console.print(f"[bold]{head}[/bold]")
    md += ["# Ledger benchmark", "", head, ""]
    if ref:
        t = Table(title="pgbench reference (same server, scale 8, -j 2)")
        for h in ("script", "args", "tps", "latency ms"):
            t.add_column(h, justify="right" if h in ("tps", "latency ms") else "left")
        md += ["## pgbench reference (same server, scale 8, -j 2)", "", "| script | args | tps | latency ms |", "|---|---|---:|---:|"]
        for r in ref.values():
            lat = f"{r.latency_ms:.2f}" if r.latency_ms is not None else "-"
            t.add_row(r.name, " ".join(r.args), f"{r.tps:,.0f}", lat)
            md.append(f"| {r.name} | `{' '.join(r.args)}` | {r.tps:,.0f} | {lat} |")
        console.print(t)
        md.append("")
    for db, ms in results.items():
        title = f"ledger on {db}: transfers per second"
        t = Table(title=title)
        for h in HEADERS:
            t.add_column(h, justify="left" if h in ("mode", "pgbench ref tps") else "right")
        md += [f"## {title}", "", "| " + " | ".join(HEADERS) + " |", "|" + "|".join(["---"] + ["---:"] * 3 + ["---"] + ["---:"] * 4) + "|"]
        for cells in build_rows(ms, ref):
            t.add_row(*[_style(c) for c in cells])
            md.append("| " + " | ".join(cells) + " |")
        console.print(t)
        fx = fixtures.get(db)
        vol = ", ".join(f"{MODE_LABEL[m.mode]} {m.transfers:,} in {m.seconds:.1f}s" for (w, _), m in ms.items() if w == "uniform")
        notes = [f"timed volume per workload: {vol}"]
        if fx is not None:
            notes.append(f"refusals: {fx.refusals}" + (f" (e.g. {fx.refusal_samples[0]})" if fx.refusal_samples else ""))
        probs = checks.get(db)
        if probs is None:
            notes.append("balance/verify check: not run (interrupted)")
        else:
            notes.append("balance/verify check: " + ("ok" if not probs else f"{len(probs)} PROBLEMS, first: {probs[0]}"))
        for n in notes:
            console.print(f"  {n}", style="red" if ("PROBLEMS" in n or (n.startswith("refusals") and not n.endswith(": 0"))) else None)
        md += [""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(md) + "\n"


# --------------------------------------------------------------------------
# main


async def bench_database(db: str, url: str, vol: Volumes, args: argparse.Namespace, state: dict) -> None:
    fx = await make_fixture(db, url)
    fx.analyze = args.analyze
    state["fixtures"][db] = fx
    try:
        ms: dict[tuple[str, str], Measurement] = {}
        state["results"][db] = ms
        for workload in WORKLOADS:
            for mode in MODES:
                ms[(workload, mode)] = await measure(fx, workload, mode, vol)
        if args.profile and db == "PostgreSQL":
            console.log(f"profiling {args.profile_batches} batches of 8,000 on {db} with {args.profile} ...")
            text = await profile_batch(fx, args.profile, args.profile_batches, args.profile_out)
            state["profile"] = text
        state["checks"][db] = await check_fixture(fx, args.verify)
    finally:
        await fx.ledger.close()


async def amain(args: argparse.Namespace, server: PostgresServer | None, state: dict) -> None:
    vol = QUICK if args.quick else FULL
    main_task = asyncio.current_task()
    assert main_task is not None
    # SIGTERM cancels the run like Ctrl-C does (asyncio.run handles SIGINT itself)
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    if server is not None and args.pgbench:
        state["ref"] = await asyncio.to_thread(run_pgbench_reference, server, vol.pgbench_seconds)
    if server is not None and args.pg:
        server.create_database("ledger_bench")
        await bench_database("PostgreSQL", server.url("ledger_bench"), vol, args, state)
    if args.sqlite:
        with tempfile.TemporaryDirectory(prefix="xborder-bench-") as tmp:
            await bench_database("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'ledger.db'}", vol, args, state)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="short run (smaller volumes, 3 s pgbench runs)")
    p.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True, help="benchmark the ledger on SQLite")
    p.add_argument("--pg", action=argparse.BooleanOptionalAction, default=True, help="benchmark the ledger on PostgreSQL")
    p.add_argument("--pgbench", action=argparse.BooleanOptionalAction, default=True, help="run the pgbench reference")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True, help="run Ledger.verify at the end")
    p.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="ANALYZE the ledger tables after each warm-up (default: leave statistics to autovacuum, as on a fresh database)",
    )
    p.add_argument("--out", metavar="FILE.md", help="also write the tables as Markdown")
    p.add_argument("--profile", choices=("pyinstrument", "cprofile"), help="profile post_batch(8000) on PostgreSQL after the measurements")
    p.add_argument("--profile-batches", type=int, default=3, metavar="N", help="batches of 8,000 to profile (default 3)")
    p.add_argument("--profile-out", metavar="FILE", help="save the profile (.html or .txt for pyinstrument, pstats for cprofile)")
    return p.parse_args(argv)


def run(*, quick: bool = False, sqlite: bool = True, pg: bool = True, pgbench: bool = True, verify: bool = True, analyze: bool = False) -> dict:
    """Run the benchmark (no signal handling, no printing of the tables) and
    return the measurements: ``ref`` (pgbench name -> tps), ``results``
    (database -> workload -> mode -> transfers/s), ``checks``, ``refusals``,
    ``markdown`` (the tables of ``--out``) and ``cores``."""
    args = parse_args(["--quick"] if quick else [])
    args.sqlite, args.pg, args.pgbench, args.verify, args.analyze = sqlite, pg, pgbench, verify, analyze
    state: dict[str, Any] = {"ref": {}, "results": {}, "checks": {}, "fixtures": {}, "profile": None}
    server: PostgresServer | None = None
    error = None
    try:
        if pg or pgbench:
            server = PostgresServer(durable=True)
            server.start()
        asyncio.run(amain(args, server, state))
    except Exception as exc:  # noqa: BLE001 - report what was measured and the error
        error = f"{type(exc).__name__}: {exc}"
    finally:
        if server is not None:
            server.stop()
    extra = f"{'quick run' if quick else 'full run'}; ANALYZE after warm-ups: {'yes' if analyze else 'no (autovacuum only)'}"
    quiet = console.quiet
    console.quiet = True
    try:
        md = print_report(os.cpu_count(), state["ref"], state["results"], state["checks"], state["fixtures"], extra) if (state["results"] or state["ref"]) else ""
    finally:
        console.quiet = quiet
    return {
        "cores": os.cpu_count(),
        "ref": {k: {"name": r.name, "args": r.args, "tps": r.tps, "latency_ms": r.latency_ms} for k, r in state["ref"].items()},
        "results": {db: {w: {m: ms[(w, m)].rate for m in MODES if (w, m) in ms} for w in WORKLOADS} for db, ms in state["results"].items()},
        "volumes": {db: {w: {m: (ms[(w, m)].transfers, ms[(w, m)].seconds) for m in MODES if (w, m) in ms} for w in WORKLOADS} for db, ms in state["results"].items()},
        "checks": dict(state["checks"]),
        "refusals": {db: fx.refusals for db, fx in state["fixtures"].items()},
        "markdown": md,
        "error": error,
        "targets": {"batch_vs_tpcb": BATCH_VS_TPCB, "single32_vs_simple32": SINGLE32_VS_SIMPLE32, "hot_vs_uniform": HOT_VS_UNIFORM},
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cores = os.cpu_count()

    def _terminate(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _terminate)
    # a job started with "&" from a script inherits SIGINT ignored; make Ctrl-C / kill -INT stop the run cleanly
    signal.signal(signal.SIGINT, signal.default_int_handler)
    state: dict[str, Any] = {"ref": {}, "results": {}, "checks": {}, "fixtures": {}, "profile": None}
    server: PostgresServer | None = None
    status = 0
    try:
        if args.pg or args.pgbench:
            server = PostgresServer(durable=True)
            server.start()
            console.log(f"PostgreSQL (durable) on {server.host}:{server.port}, data in {server.datadir}")
        try:
            asyncio.run(amain(args, server, state))
        finally:
            signal.signal(signal.SIGTERM, _terminate)  # the loop restored the default on close
    except (KeyboardInterrupt, asyncio.CancelledError):
        console.print("[red]interrupted[/red]")
        status = 130
    except Exception:  # noqa: BLE001 - the benchmark reports any failure and exits 1
        console.print_exception()
        status = 1
    finally:
        if server is not None:
            server.stop()
            console.log("PostgreSQL stopped")
    if state["results"] or state["ref"]:
        extra = f"{'quick run' if args.quick else 'full run'}; ANALYZE after warm-ups: {'yes' if args.analyze else 'no (autovacuum only)'}"
        md = print_report(cores, state["ref"], state["results"], state["checks"], state["fixtures"], extra)
        if state["profile"]:
            console.print("\n[bold]profile of post_batch(8000) on PostgreSQL[/bold]")
            console.print(state["profile"], markup=False, highlight=False)
        if args.out:
            Path(args.out).write_text(md)
            console.log(f"wrote {args.out}")
    bad = any(state["checks"].values()) or any(fx.refusals for fx in state["fixtures"].values())
    return status or (2 if bad else 0)


if __name__ == "__main__":
    sys.exit(main())
