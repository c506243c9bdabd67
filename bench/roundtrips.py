"""Round trips and CPU of one single-posting request, in process (#14).

    python -m bench.roundtrips [--requests 300] [--no-pg] [--profile]

The app is driven through ``httpx.ASGITransport`` (no sockets, no load
generator), one request at a time, with and without the credential cache
(``XBORDER_AUTH_CACHE_SECONDS`` 5 and 0) in the same run, on a durable
PostgreSQL (tests/support/pgserver.py) and on SQLite.  It reports per request:
the SQL statements the app sends (counted with a SQLAlchemy event: a
deterministic figure, whatever the machine's load), of which the
authentication's, and the process CPU time and wall time (both noisy on a
shared machine: compare the two columns of one run).  ``--profile``: the top
frames by own time (cProfile) of the cached run.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KEYS = {
    "secret_key": base64.b64encode(b"H" * 32).decode(),
    "registry_key": base64.b64encode(b"R" * 32).decode(),
    "ledger_signing_key": base64.b64encode(b"L" * 32).decode(),
}


async def _measure(url: str, data_dir: Path, cache_seconds: float, n: int, profile: bool) -> dict[str, Any]:
    import httpx
    from sqlalchemy import event

    from api.app import create_app
    from api.auth import issue_api_key
    from api.scopes import MIGRATED_SYSTEM_SCOPES
    from ledger.config import Settings

    settings = Settings(database_url=url, data_dir=data_dir, rates_url="", background_jobs=False, auth_cache_seconds=cache_seconds, **KEYS)
    app = create_app(settings, background_jobs=False)
    ctx = app.state.ctx
    code = f"RT{uuid.uuid4().hex[:8]}"
    inst = await ctx.ledger.create_institution(code, "Round trips")
    led = await ctx.ledger.create_ledger(inst.id, "main", "Main")
    bank = await ctx.ledger.create_account(inst.id, led.id, "bank", "USD", "asset")
    merchant = await ctx.ledger.create_account(inst.id, led.id, "merchant", "USD", "liability")
    async with ctx.engine.begin() as conn:
        key = (await issue_api_key(conn, ctx.keyring, inst.id, name="rt", scopes=MIGRATED_SYSTEM_SCOPES))["key"]
    statements: list[str] = []
    event.listen(ctx.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    body = json.dumps({"postings": [
        {"account_id": str(bank.id), "side": "debit", "amount": "1.00", "currency": "USD"},
        {"account_id": str(merchant.id), "side": "credit", "amount": "1.00", "currency": "USD"},
    ]}).encode()
    path = f"/v1/ledgers/{led.id}/transactions"
    prof = cProfile.Profile() if profile else None
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://rt.test") as client:
        async def one() -> None:
            r = await client.post(path, content=body, headers={"Authorization": f"Bearer {key}", "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"})
            assert r.status_code == 201, r.text

        for _ in range(20):  # warm-up: pools, caches, statement caches
            await one()
        statements.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        if prof:
            prof.enable()
        for _ in range(n):
            await one()
        if prof:
            prof.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    auth = [s for s in statements if any(t in s for t in ("FROM api_keys", "FROM institution_settings", "FROM institution_status"))]
    out = {"statements": len(statements) / n, "auth_statements": len(auth) / n, "cpu_ms": cpu / n * 1000, "wall_ms": wall / n * 1000}
    if prof:
        s = io.StringIO()
        st = pstats.Stats(prof, stream=s)
        st.sort_stats("tottime").print_stats(12)
        # where JSON, the middleware, logging and authentication stand (cumulative)
        st.sort_stats("cumulative").print_stats(r"json|encoders|middleware|observability|app\.py|auth\.py|logging", 25)
        out["profile"] = s.getvalue()
    return out


def run(n: int, pg: bool, profile: bool) -> dict[str, dict[str, Any]]:
    from ledger.migrate import upgrade

    res: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="xborder-rt-") as tmp:
        d = Path(tmp)
        targets: list[tuple[str, str]] = [("SQLite", f"sqlite+aiosqlite:///{d / 'rt.db'}")]
        server = None
        if pg:
            from tests.support.pgserver import PostgresServer

            server = PostgresServer(durable=True).start()
            server.create_database("rt")
            targets.insert(0, ("PostgreSQL", server.url("rt")))
        try:
            for name, url in targets:
                upgrade(url)
                for seconds in (0.0, 5.0):
                    res[f"{name}, auth cache {seconds:g} s"] = asyncio.run(_measure(url, d, seconds, n, False))
                if profile:  # apart: cProfile's overhead would blur the CPU column
                    res[f"{name}, auth cache 5 s, under cProfile"] = asyncio.run(_measure(url, d, 5.0, n, True))
        finally:
            if server is not None:
                server.stop()
    return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--pg", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--profile", action="store_true")
    a = p.parse_args(argv)
    res = run(a.requests, a.pg, a.profile)
    print("| run | SQL statements / request | of which authentication | CPU ms / request | wall ms / request |")
    print("|---|---:|---:|---:|---:|")
    for k, v in res.items():
        print(f"| {k} | {v['statements']:.1f} | {v['auth_statements']:.1f} | {v['cpu_ms']:.2f} | {v['wall_ms']:.2f} |")
    for k, v in res.items():
        if v.get("profile"):
            print(f"\n{k}:\n{v['profile']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
