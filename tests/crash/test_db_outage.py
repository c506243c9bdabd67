"""Crash safety (issue #7): PostgreSQL stops under load and comes back.

The real server (``python -m api.cli serve``) runs on a private PostgreSQL
cluster while 4 clients post transfers with Idempotency-Keys.  PostgreSQL is
stopped with ``pg_ctl stop -m immediate`` (a crash: no checkpoint, crash
recovery at restart).  During the outage every request answers 503 with an
RFC 9457 problem document -- never a 500, never a hang -- and ``/readyz``
answers 503.  PostgreSQL is started again on the same port and data
directory; without restarting the app, new requests succeed.  Every request
that was not acknowledged is retried with its key until it is; then, from
the database: every acknowledged transaction is present exactly once,
nothing else was posted, every per-currency sum of postings is zero and the
hash chain verifies.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from bench import crashkit
from ledger.migrate import upgrade

PROBLEM = "application/problem+json"
OUTAGE_SECONDS = 4.0


def _require_pg() -> bool:
    return bool(os.environ.get("XBORDER_REQUIRE_PG") or os.environ.get("CI"))


@pytest.fixture
def pg_cluster():
    """A private cluster: the test stops and restarts it.  synchronous_commit
    stays on so that a commit acknowledged before the immediate stop is in
    the WAL (fsync may be off: the machine does not crash)."""
    from tests.support.pgserver import PostgresServer

    server = PostgresServer(extra_settings={"synchronous_commit": "on"})
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001
        if _require_pg():
            pytest.fail(f"PostgreSQL could not start: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL could not start: {exc}")
    yield server
    server.stop()


@dataclass
class Seen:
    phase: str
    status: int | str
    content_type: str
    code: str | None
    seconds: float


@dataclass
class Load:
    seed: dict
    rng: random.Random
    phase: str = "before"
    stop_new: asyncio.Event = field(default_factory=asyncio.Event)
    sent: dict = field(default_factory=dict)  # key -> crashkit.Outstanding
    acked: dict = field(default_factory=dict)  # key -> transaction id
    seen: list[Seen] = field(default_factory=list)
    n: int = 0


async def _client(load: Load, base_url: str, no: int) -> None:
    path = crashkit.TRANSFER_ROUTE.format(ledger_id=load.seed["ledger_id"])
    auth = {"Authorization": f"Bearer {load.seed['key']}"}
    todo: list[crashkit.Outstanding] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(60, connect=10)) as http:
        while True:
            if todo:
                o = todo.pop(0)
            elif not load.stop_new.is_set():
                load.n += 1
                body, cur, minor = crashkit.transfer_body(load.seed, load.rng)
                o = crashkit.Outstanding(f"outage-{no}-{load.n}", body, cur, minor)
                load.sent[o.key] = o
            else:
                return
            phase, start = load.phase, time.monotonic()
            try:
                r = await http.post(path, json=o.body, headers={**auth, "Idempotency-Key": o.key})
            except httpx.HTTPError as exc:
                load.seen.append(Seen(phase, type(exc).__name__, "", None, time.monotonic() - start))
                todo.append(o)
                await asyncio.sleep(0.2)
                continue
            ctype = r.headers.get("content-type", "")
            code = r.json().get("code") if ctype.startswith(PROBLEM) else None
            load.seen.append(Seen(phase, r.status_code, ctype, code, time.monotonic() - start))
            if r.status_code == 201:
                load.acked[o.key] = r.json()["id"]
            else:
                todo.append(o)  # 503 / 409: retry with the same key
                await asyncio.sleep(0.2 if r.status_code == 503 else 0.5)


async def _scenario(pg, settings, workdir) -> dict:
    seed = await crashkit.seed(settings)
    server = crashkit.ServerProcess(crashkit.server_env(settings), crashkit.free_port(), workdir / "server.log", idempotency_lease=3)
    load = Load(seed, random.Random(7))
    out: dict = {}
    server.start()
    try:
        await server.wait_ready()
        pid = server.proc.pid
        clients = [asyncio.create_task(_client(load, server.base_url, i)) for i in range(4)]
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            deadline = time.monotonic() + 120
            while len(load.acked) < 30:
                assert time.monotonic() < deadline, f"no load: {Counter(s.status for s in load.seen)}\n{server.log_tail()}"
                await asyncio.sleep(0.05)
            out["acked_before"] = len(load.acked)

            load.phase = "stopping"
            await asyncio.to_thread(pg.halt, "immediate")
            load.phase = "outage"
            t_halted = time.monotonic()
            readyz = []
            while time.monotonic() - t_halted < OUTAGE_SECONDS:
                start = time.monotonic()
                r = await http.get("/readyz")
                readyz.append((r.status_code, r.headers.get("content-type", ""), time.monotonic() - start))
                await asyncio.sleep(0.5)
            out["readyz_outage"] = readyz
            load.phase = "restarting"
            await asyncio.to_thread(pg.resume)
            load.phase = "after"

            # the same app process serves again by itself
            t_resumed = time.monotonic()
            acked_at_resume = len(load.acked)
            while True:
                r = await http.get("/readyz")
                if r.status_code == 200 and len(load.acked) >= acked_at_resume + 20:
                    break
                assert time.monotonic() - t_resumed < 120, f"service did not resume: readyz {r.status_code} {r.text}\n{server.log_tail()}"
                await asyncio.sleep(0.1)
            out["resume_seconds"] = round(time.monotonic() - t_resumed, 2)
            out["same_process"] = server.proc.pid == pid and server.proc.poll() is None
        load.stop_new.set()
        done, pending = await asyncio.wait(clients, timeout=180)
        for t in pending:
            t.cancel()
        for t in done:
            t.result()
        out["unfinished_clients"] = len(pending)
    finally:
        server.stop()
    out["load"] = load
    out["checks"] = await crashkit.check_ledger(settings, seed, load.acked, load.sent)
    return out


def test_postgresql_outage_answers_503_and_service_resumes_by_itself(pg_cluster, tmp_path):
    pg_cluster.create_database("outage")
    url = pg_cluster.url("outage")
    upgrade(url)
    settings = crashkit.make_settings(url, tmp_path / "data")
    out = asyncio.run(_scenario(pg_cluster, settings, tmp_path))
    load: Load = out["load"]
    by_phase: dict[str, Counter] = {}
    for s in load.seen:
        by_phase.setdefault(s.phase, Counter())[(s.status, s.code)] += 1
    checks = out["checks"]
    print(
        f"requests={len(load.seen)} keys={len(load.sent)} acks={len(load.acked)} transactions={checks['transactions']} "
        f"by_phase={ {p: dict(c) for p, c in by_phase.items()} } readyz_outage={[x[0] for x in out['readyz_outage']]} resume_s={out['resume_seconds']}"
    )

    # never a 500, anywhere; every refusal is a problem document
    statuses = Counter(s.status for s in load.seen)
    assert not [s for s in statuses if isinstance(s, int) and s >= 500 and s != 503], statuses
    assert all(s.content_type.startswith(PROBLEM) for s in load.seen if isinstance(s.status, int) and s.status >= 400)
    # no transport errors: the app answered every request itself
    assert not [s for s in statuses if isinstance(s, str)], statuses
    # during the outage: 503 database_unavailable, answered promptly (no hang)
    during = [s for s in load.seen if s.phase == "outage"]
    assert len(during) >= 4, by_phase
    assert {(s.status, s.code) for s in during} == {(503, "database_unavailable")}, by_phase["outage"]
    assert max(s.seconds for s in during) < 30
    # /readyz: 503 problem while PostgreSQL is down
    assert out["readyz_outage"] and all(code == 503 and ctype.startswith(PROBLEM) for code, ctype, _ in out["readyz_outage"]), out["readyz_outage"]
    # after: the same process serves again
    assert out["same_process"]
    assert by_phase["after"][(201, None)] >= 20
    # every request was eventually acknowledged, and the ledger is whole
    assert out["unfinished_clients"] == 0
    assert set(load.acked) == set(load.sent)
    assert checks["problems"] == []
    assert checks["transactions"] == len(load.acked)
    assert all(v == 0 for v in checks["sums"].values())
    assert checks["chain_ok"] and checks["chain_checked"] == checks["transactions"]
