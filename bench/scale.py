"""Scale series: how the cost of reads grows with the ledger's history.

    python -m bench.scale [--max 1000000] [--no-sqlite] [--reads 200]

One ledger (a bank settlement account on one side of every transfer and
1,000 merchant accounts on the other) grows through 10^4, 10^5, 10^6 and
10^7 postings (10^7 on PostgreSQL only; ``--max`` caps the series).  At each
size, after VACUUM ANALYZE (PostgreSQL; ANALYZE on SQLite), the steady state autovacuum keeps,
it times through ``ledger.service.Ledger`` (median of many calls):

* balance now; as of a recorded instant; as of a value date (hot account);
* statement: first page, and a deep page (cursor in the middle of the hot
  account's history, as a client paging there would hold); a cold account's
  first page;
* trial balance now and as of a value date (1,001 accounts).

The history is written by the posting engine itself (``Ledger.post_batch``,
batches of 8,000 transfers, two postings each), so the seal triggers, the
running balances, the per-day totals and the hash chain are the engine's
own.  Value dates advance one day per 2,000 transfers.  After building,
sample checks: for the hot account and 20 random accounts the sum of the
postings equals the stored balance and the last running balance; the trial
balance nets to zero; the chain head's sequence equals the transfers posted.
``Ledger.verify`` (the full chain) runs up to ``--verify-max`` postings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# run as a script, bench/ is sys.path[0]: drop it so bench/http.py does not shadow the standard library
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CURRENCY = "USD"
N_ACCOUNTS = 1_000
BATCH = 8_000
TRANSFERS_PER_DAY = 2_000
BASE_DAY = date(2019, 1, 1)
SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
SQLITE_MAX = 1_000_000

OPS = (
    ("roundtrip", "baseline: `SELECT 1` round trip (machine noise indicator)"),
    ("balance", "balance now (hot account)"),
    ("balance_as_of", "balance as of a recorded instant (hot)"),
    ("balance_as_of_date", "balance as of a value date (hot)"),
    ("statement_first", "statement, first page of 100 (hot)"),
    ("statement_deep", "statement, deep page of 100 via cursor (hot, middle of its history)"),
    ("statement_cold", "statement, first page of 100 (a merchant account)"),
    ("trial_balance", "trial balance now (1,001 accounts)"),
    ("trial_balance_as_of", "trial balance as of a value date"),
)


def _log(msg: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class History:
    def __init__(self, db: str, url: str) -> None:
        from ledger.config import Settings
        from ledger.db import create_engine
        from ledger.service import Ledger

        self.db = db
        self.url = url
        settings = Settings(database_url=url, data_dir=Path(tempfile.gettempdir()) / "xb-scale-keys", secret_key="S" * 43 + "=")
        self.engine = create_engine(url, settings=settings)
        self.ledger = Ledger(self.engine, settings)
        self.transfers = 0
        self.rng = random.Random(10_000_019)
        self.build_seconds = 0.0

    async def setup(self) -> None:
        L = self.ledger
        inst = await L.create_institution("SCALE", "Scale bank")
        led = await L.create_ledger(inst.id, "main", "Main")
        self.inst, self.lid = inst.id, led.id
        self.hot = (await L.create_account(inst.id, led.id, "bank-settlement-usd", CURRENCY, "asset")).id
        self.accounts = []
        async with self.engine.begin() as conn:
            for n in range(N_ACCOUNTS):
                self.accounts.append((await L.create_account(inst.id, led.id, f"merchant-{n:05d}", CURRENCY, "liability", conn=conn)).id)

    async def grow_to(self, postings: int) -> None:
        from ledger.model import CREDIT, DEBIT, NewTransaction, Posting

        target = postings // 2
        start = self.transfers
        t0 = time.perf_counter()
        last_log = t0
        while self.transfers < target:
            n = min(BATCH, target - self.transfers)
            items = []
            for k in range(n):
                i = self.transfers + k
                amount = self.rng.randint(1, 100_000)
                other = self.accounts[self.rng.randrange(N_ACCOUNTS)]
                dr, cr = (self.hot, other) if i % 2 == 0 else (other, self.hot)
                items.append(NewTransaction(self.lid, [Posting(dr, amount, DEBIT, CURRENCY), Posting(cr, amount, CREDIT, CURRENCY)],
                                            effective_date=BASE_DAY + timedelta(days=i // TRANSFERS_PER_DAY)))
            results = await self.ledger.post_batch(self.inst, items)
            bad = [r for r in results if not r.ok]
            if bad:
                raise RuntimeError(f"{len(bad)} refused while building, e.g. {bad[0].code}: {bad[0].error}")
            self.transfers += n
            if time.perf_counter() - last_log > 30:
                last_log = time.perf_counter()
                rate = (self.transfers - start) / (last_log - t0)
                _log(f"{self.db}: {self.transfers * 2:,} postings ({rate:,.0f} transfers/s)")
        self.build_seconds += time.perf_counter() - t0

    async def analyze(self) -> None:
        """Steady state as autovacuum keeps it: VACUUM ANALYZE on PostgreSQL
        (the account rows are rewritten by every batch), ANALYZE on SQLite."""
        pg = self.engine.dialect.name == "postgresql"
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for t in ("accounts", "transactions", "postings", "account_day_balances", "ledgers"):
                await conn.exec_driver_sql(f"{'VACUUM ANALYZE' if pg else 'ANALYZE'} {t}")

    async def checks(self, full_verify: bool) -> list[str]:
        from sqlalchemy import func, select

        from ledger.schema import accounts, ledgers, postings

        problems: list[str] = []
        sample = [self.hot] + self.rng.sample(self.accounts, 20)
        async with self.engine.connect() as conn:
            for a in sample:
                s, n = (await conn.execute(select(func.coalesce(func.sum(postings.c.amount), 0), func.count()).where(postings.c.account_id == a))).one()
                row = (await conn.execute(select(accounts.c.debits_posted, accounts.c.credits_posted, accounts.c.version).where(accounts.c.id == a))).one()
                last = (await conn.execute(select(postings.c.balance_after).where(postings.c.account_id == a).order_by(postings.c.account_version.desc()).limit(1))).scalar()
                if int(s) != row.debits_posted - row.credits_posted or (n and int(last) != int(s)) or int(n) != row.version:
                    problems.append(f"account {a}: sum {s} / last running balance {last} / {n} postings vs stored {row.debits_posted - row.credits_posted} (version {row.version})")
            seq = (await conn.execute(select(ledgers.c.chain_seq).where(ledgers.c.id == self.lid))).scalar()
            if seq != self.transfers:
                problems.append(f"chain head at #{seq}, {self.transfers} transfers posted")
            n_post = (await conn.execute(select(func.count()).select_from(postings).where(postings.c.ledger_id == self.lid))).scalar()
            if n_post != 2 * self.transfers:
                problems.append(f"{n_post} postings stored, {2 * self.transfers} posted")
        tb = await self.ledger.trial_balance(self.inst, self.lid)
        if any(d != c for d, c in tb.totals.values()):
            problems.append(f"trial balance does not net: {tb.totals}")
        if full_verify:
            t0 = time.perf_counter()
            rep = await self.ledger.verify(self.inst, self.lid, check_balances=True)
            _log(f"{self.db}: verify of {rep.transactions_checked:,} transactions in {time.perf_counter() - t0:.1f}s: {'ok' if rep.ok else rep.problem}")
            if not rep.ok:
                problems.append(f"verify: {rep.problem}")
        return problems

    async def measure(self, reads: int) -> dict[str, float]:
        from sqlalchemy import select

        from ledger.schema import postings
        from ledger.service import encode_cursor

        L, inst = self.ledger, self.inst
        hot_versions = self.transfers  # the hot account is in every transfer
        mid_version = max(1, hot_versions // 2)
        async with self.engine.connect() as conn:
            mid_recorded = (await conn.execute(select(postings.c.recorded_at).where(postings.c.account_id == self.hot, postings.c.account_version == mid_version))).scalar()
        if mid_recorded is not None and mid_recorded.tzinfo is None:
            mid_recorded = mid_recorded.replace(tzinfo=UTC)
        mid_day = BASE_DAY + timedelta(days=(self.transfers // 2) // TRANSFERS_PER_DAY)
        deep = encode_cursor(mid_version)
        cold = self.accounts[7]
        few = max(10, reads // 4)
        async def roundtrip() -> None:
            async with self.engine.connect() as c:
                await c.exec_driver_sql("SELECT 1")

        ops: dict[str, tuple[Callable[[], Awaitable[Any]], int]] = {
            "roundtrip": (roundtrip, reads),
            "balance": (lambda: L.balance(inst, self.hot), reads),
            "balance_as_of": (lambda: L.balance(inst, self.hot, as_of_recorded=mid_recorded), reads),
            "balance_as_of_date": (lambda: L.balance(inst, self.hot, as_of_date=mid_day), reads),
            "statement_first": (lambda: L.statement(inst, self.hot, limit=100), reads),
            "statement_deep": (lambda: L.statement(inst, self.hot, cursor=deep, limit=100), reads),
            "statement_cold": (lambda: L.statement(inst, cold, limit=100), reads),
            "trial_balance": (lambda: L.trial_balance(inst, self.lid), few),
            "trial_balance_as_of": (lambda: L.trial_balance(inst, self.lid, as_of_date=mid_day), few),
        }
        page = await L.statement(inst, self.hot, cursor=deep, limit=100)
        if not page.lines or page.lines[0].account_version != mid_version + 1:
            raise AssertionError("deep statement page does not start after its cursor")
        # interleaved rounds: a burst of load from elsewhere hits every operation alike
        times: dict[str, list[float]] = {k: [] for k in ops}
        for fn, _ in ops.values():
            await fn()  # warm
        for i in range(reads):
            for k, (fn, n) in ops.items():
                if n < reads and i % max(1, reads // n):
                    continue
                t0 = time.perf_counter()
                await fn()
                times[k].append(time.perf_counter() - t0)
        out = {k: statistics.median(v) for k, v in times.items()}
        out["_loadavg"] = os.getloadavg()[0]
        return out

    async def close(self) -> None:
        await self.ledger.close()
        await self.engine.dispose()


async def run_series(db: str, url: str, sizes: list[int], reads: int, verify_max: int) -> dict:
    from ledger.migrate import upgrade_async

    h = History(db, url)
    out: dict[str, Any] = {"sizes": {}, "checks": {}, "build_seconds": {}}
    try:
        await upgrade_async(h.engine)
        await h.setup()
        for size in sizes:
            t0 = time.perf_counter()
            await h.grow_to(size)
            built = time.perf_counter() - t0
            out["build_seconds"][size] = built
            _log(f"{db}: {size:,} postings (built in {built:,.1f}s); analyze + checks + reads ...")
            await h.analyze()
            out["checks"][size] = await h.checks(full_verify=size <= verify_max)
            out["sizes"][size] = await h.measure(reads)
            _log(f"{db}: {size:,}: " + ", ".join(f"{k} {v * 1000:.2f} ms" for k, v in out["sizes"][size].items() if not k.startswith("_")) + f"; load average {out['sizes'][size]['_loadavg']:.1f}")
    except Exception as exc:  # noqa: BLE001
        out["error"] = f"{type(exc).__name__}: {exc}"
        _log(f"{db}: ERROR {out['error']}")
    finally:
        out["total_build_seconds"] = h.build_seconds
        await h.close()
    return out


def run(*, max_postings: int = 1_000_000, sqlite: bool = True, pg: bool = True, reads: int = 200, verify_max: int = 1_000_000) -> dict:
    """The scale series; returns {cores, databases: {db: {sizes: {n: {op: seconds}}, checks, build_seconds}}}."""
    from tests.support.pgserver import PostgresServer

    res: dict[str, Any] = {"cores": os.cpu_count(), "max": max_postings, "reads": reads, "databases": {}}
    if pg:
        server = PostgresServer(durable=True).start()
        try:
            server.create_database("scale")
            sizes = [s for s in SIZES if s <= max_postings]
            res["databases"]["PostgreSQL"] = asyncio.run(run_series("PostgreSQL", server.url("scale"), sizes, reads, verify_max))
        finally:
            server.stop()
    if sqlite:
        with tempfile.TemporaryDirectory(prefix="xborder-scale-") as tmp:
            sizes = [s for s in SIZES if s <= min(max_postings, SQLITE_MAX)]
            res["databases"]["SQLite"] = asyncio.run(run_series("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'scale.db'}", sizes, reads, verify_max))
    return res


def _fmt_ms(s: float) -> str:
    ms = s * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.2f}"


def to_markdown(res: dict) -> str:
    md = [
        f"cores: {res['cores']}; one ledger, hot settlement account in every transfer + 1,000 merchant accounts; history written by `Ledger.post_batch` "
        f"(batches of {BATCH:,}); VACUUM ANALYZE (PostgreSQL) / ANALYZE (SQLite) before reading; median of {res['reads']} calls in interleaved rounds ({max(10, res['reads'] // 4)} for trial balances), in ms; "
        "ratio = time at that size / time at 10^4 postings. Target: flat or logarithmic growth (ratio close to 1).",
        "",
    ]
    for db, d in res["databases"].items():
        sizes = sorted(d.get("sizes", {}))
        if not sizes:
            md.append(f"**{db}**: no size measured" + (f" ({d['error']})" if d.get("error") else ""))
            md.append("")
            continue
        sizes[0]
        md.append(f"**{db}** (build: " + ", ".join(f"{s:,} postings +{d['build_seconds'][s]:,.0f}s" for s in sizes) + ")")
        md.append("")
        md.append("| operation | " + " | ".join(f"{s:,} postings ms" for s in sizes) + " | " + " | ".join(f"ratio {s:,}" for s in sizes[1:]) + " | verdict |")
        md.append("|---|" + "---:|" * (2 * len(sizes) - 1) + "---|")
        for key, label in OPS:
            vals = [d["sizes"][s][key] for s in sizes]
            ratios = [v / vals[0] if vals[0] else float("nan") for v in vals[1:]]
            worst = max(ratios) if ratios else 1.0
            # flat-or-log: growing 10x per step, a ratio up to ~1.5 per decade is within noise + a B-tree level
            decades = len(ratios)
            verdict = "flat" if worst <= 1.5 else ("~log" if worst <= 1.0 + 0.5 * max(decades, 1) else "**grows**")
            md.append(f"| {label} | " + " | ".join(_fmt_ms(v) for v in vals) + " | " + " | ".join(f"{r:.2f}x" for r in ratios) + f" | {verdict} |")
        md.append("| 1-min load average while reading | " + " | ".join(f"{d['sizes'][s].get('_loadavg', 0):.1f}" for s in sizes) + " |" + " |" * len(sizes))
        md.append("")
        probs = {s: p for s, p in d.get("checks", {}).items() if p}
        md.append(f"- {db} sample checks (sums = stored balances = last running balance for the hot account and 20 others, chain head = transfers, "
                  f"trial balance nets, `Ledger.verify` up to 10^6): " + ("ok" if not probs else f"**problems** {probs}"))
        if d.get("error"):
            md.append(f"- {db}: **error**: {d['error']}")
        md.append("")
    return "\n".join(md) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--max", type=float, default=1_000_000, help="largest size in postings (default 10^6; 1e7 for the full series)")
    p.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--pg", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--reads", type=int, default=200)
    p.add_argument("--verify-max", type=float, default=1_000_000, help="run the full Ledger.verify up to this size")
    p.add_argument("--out", help="write the Markdown here")
    a = p.parse_args(argv)
    import signal

    def _stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    res = run(max_postings=int(a.max), sqlite=a.sqlite, pg=a.pg, reads=a.reads, verify_max=int(a.verify_max))
    md = to_markdown(res)
    print(md)
    if a.out:
        Path(a.out).write_text(md)
    bad = any(d.get("error") or any(d.get("checks", {}).values()) for d in res["databases"].values())
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
