"""Crash safety, long form (issue #7): ``python -m bench.crash --kills 100 --db both``.

SIGKILLs the real server ``--kills`` times under ``--clients`` concurrent
posting clients on PostgreSQL and/or SQLite, retries every unacknowledged
request with its Idempotency-Key, and proves that nothing was lost or
doubled, that the sums are zero, the hash chain verifies and every webhook
event was delivered (driver: ``bench/crashkit.py``).  Prints a table; exits
1 if any property failed.  :func:`run` returns the results for a report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import crashkit  # noqa: E402

ROWS = [
    ("requests", "requests sent"),
    ("acks", "acknowledged (201)"),
    ("kills", "SIGKILLs"),
    ("retries", "retries with the same key"),
    ("replayed_acks", "acks replayed (Idempotent-Replayed)"),
    ("transactions", "transactions in the ledger"),
    ("events", "transaction.posted events"),
    ("deliveries", "webhook deliveries received"),
    ("delivered_events", "distinct events delivered"),
    ("duplicates_delivered", "duplicate deliveries"),
    ("drain_attempts", "deliveries retried after the lease"),
    ("statuses", "answers and client errors"),
    ("sums", "sum of postings per currency"),
    ("chain_ok", "hash chain verifies"),
    ("mean_startup_s", "mean server start (s)"),
    ("wall_seconds", "wall time (s)"),
    ("server_exceptions", "exceptions in the server log"),
    ("problems", "problems"),
]


def run(kills: int = 100, db: str = "both", clients: int = 8, duration: float = 0.0, idempotency_lease: float | None = None, durable: bool = False, seed: int | None = None) -> dict[str, Any]:
    """The long form on each database; ``{"results": {db: result}, "ok": bool}``."""
    dbs = ["postgresql", "sqlite"] if db == "both" else [db]
    results = {}
    for kind in dbs:
        results[kind] = crashkit.run(kind, kills=kills, clients=clients, duration=duration, idempotency_lease=idempotency_lease, durable=durable, seed=seed)
    return {"results": results, "ok": all(r.get("ok") for r in results.values())}


def table(report: dict[str, Any]) -> str:
    from rich.console import Console
    from rich.table import Table

    results = report["results"]
    t = Table(title="crash safety: SIGKILL of the server under load")
    t.add_column("")
    for kind in results:
        t.add_column(kind, justify="right")
    for key, label in ROWS:
        t.add_row(label, *[str(results[k].get(key)) for k in results])
    console = Console(record=True, width=160)
    console.print(t)
    return console.export_text()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kills", type=int, default=100)
    p.add_argument("--db", choices=["postgresql", "sqlite", "both"], default="both")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--duration", type=float, default=0.0, help="minimum seconds of load")
    p.add_argument("--idempotency-lease", type=float, default=None, help="shorter HTTP in-flight lease in the server (default: the real 60 s)")
    p.add_argument("--durable", action="store_true", help="PostgreSQL with fsync on")
    p.add_argument("--seed", type=int, default=None)
    a = p.parse_args(argv)
    report = run(a.kills, a.db, a.clients, a.duration, a.idempotency_lease, a.durable, a.seed)
    print(table(report), end="")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
