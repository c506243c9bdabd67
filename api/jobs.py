"""Background jobs with exactly one leader per job across processes.

The jobs: pending-transaction expiry, webhook delivery, purges of old
idempotency records and request signatures (periodic), and two daily jobs
run once per business day after ``XBORDER_DAILY_JOBS_AT`` in the business
time zone: the loan accrual (interest, penalty and days past due through
the business day that ended) and the advance overdue sweep.

They run in ``xborder worker`` (a deployment runs the API with
``XBORDER_BACKGROUND_JOBS=off``), or inside each API process when
``XBORDER_BACKGROUND_JOBS`` is on (the single-process demo).  However many
processes run a :class:`JobRunner`, each job has one leader at a time:

* PostgreSQL: a session advisory lock per job (``pg_try_advisory_lock``)
  held by one dedicated connection of the process, in autocommit.  It is
  released when the process ends, however it ends (the server sees the
  connection close), so another process takes over within one poll
  interval (``XBORDER_JOB_POLL_SECONDS``).  A host that vanishes without
  closing its connections is detected by TCP keepalives (see
  docs/DEPLOYING.md).
* SQLite (or ``XBORDER_JOB_LEADER_MODE=lease``): a lease row per job in
  ``job_leases`` (holder, expires_at) renewed every third of
  ``XBORDER_JOB_LEASE_SECONDS``; a leader that cannot renew stops after two
  thirds of the lease, and another process takes the row over once it has
  expired: within lease + poll seconds.

A daily run is recorded in ``job_runs`` (job, business day): finished runs
are not repeated; a run cut off by a crash is run again by the next leader
(both daily jobs are idempotent per day).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from financing.lifecycle import daily as lifecycle_daily
from financing.loans import accrue
from ledger import clock
from ledger.config import Settings
from ledger.money import format_minor
from ledger.schema import institutions
from settlement.advances import flag_stale_advances, institution_config

# imported up front: a standby taking a job over must not stall on imports
from .auth import purge_signatures
from .bootstrap import Services
from .idempotency import purge_expired
from .logins import purge_sessions
from .netguard import NetPolicy
from .tables_ops import job_leases, job_runs
from .webhooks import WebhookDispatcher

log = logging.getLogger("xborder.jobs")

#: first key of every advisory lock of xborder (``pg_locks.classid``); the
#: second is derived from the job's name
ADVISORY_CLASS = 0x7862  # "xb"
#: a failed daily run is tried again after this many seconds
DAILY_RETRY_SECONDS = 60.0


def advisory_key(job: str) -> int:
    """The second advisory-lock key of ``job`` (stable, non-negative int4)."""
    return zlib.crc32(job.encode()) & 0x7FFFFFFF


def default_holder() -> str:
    """This process's identity in leases and logs: host, pid, a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


# -- the jobs -------------------------------------------------------------------------------


class JobEnv:
    """What the jobs of one runner share: the services and a webhook
    dispatcher made on first use."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._dispatcher: Any = None

    @property
    def dispatcher(self) -> Any:
        if self._dispatcher is None:
            self._dispatcher = WebhookDispatcher(self.services.engine, self.services.keyring, policy=NetPolicy.from_settings(self.services.settings))
        return self._dispatcher

    async def aclose(self) -> None:
        if self._dispatcher is not None:
            await self._dispatcher.aclose()
            self._dispatcher = None


@dataclass(frozen=True)
class Job:
    """A periodic job (``run`` every ``interval`` seconds; a true result
    means "more to do", run again at once) or a daily one (``daily`` with the
    business day, once per day after the configured time)."""

    name: str
    interval: float
    run: Callable[[JobEnv], Awaitable[Any]] | None = None
    daily: Callable[[JobEnv, date], Awaitable[dict[str, Any]]] | None = None


async def _expire_pending(env: JobEnv) -> bool:
    return await env.services.ledger.expire_pending() >= 1000


async def _deliver_webhooks(env: JobEnv) -> bool:
    return await env.dispatcher.run_once() >= env.dispatcher.batch_size


async def _purge(env: JobEnv) -> bool:
    await purge_signatures(env.services.engine)
    await purge_sessions(env.services.engine)
    await purge_expired(env.services.engine)
    return False


async def _institution_ids(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        return [r.id for r in (await conn.execute(select(institutions.c.id).order_by(institutions.c.code))).all()]


async def _per_institution(env: JobEnv, job: str, one: Callable[[Any], Awaitable[dict[str, int]]]) -> dict[str, Any]:
    """Run ``one`` for every institution; all are tried, then a failure of
    any is raised (the day's run is then tried again)."""
    totals: dict[str, int] = {"institutions": 0}
    failed: list[str] = []
    for inst_id in await _institution_ids(env.services.engine):
        try:
            out = await one(inst_id)
        except Exception:  # the others still run; reported below
            log.warning("daily job failed for an institution", extra={"job": job, "institution_id": str(inst_id)}, exc_info=True)
            failed.append(str(inst_id))
            continue
        totals["institutions"] += 1
        for k, v in out.items():
            totals[k] = totals.get(k, 0) + int(v)
    if failed:
        raise RuntimeError(f"{job} failed for {len(failed)} institution(s): {', '.join(failed)}")
    return totals


async def loan_accrual(env: JobEnv, day: date) -> dict[str, Any]:
    """Accrue every institution's loans through the business day before
    ``day`` (the day that ended; a repayment value-dated today stays
    possible).  Missed days are caught up by the accrual itself.  Then the
    lifecycle checks of ``day`` (financing.lifecycle): ``sme.payment_due``
    notices and flags of advances on expired credit-insurance policies."""
    through = day - timedelta(days=1)
    minor: dict[str, dict[str, int]] = {}

    async def one(inst_id: Any) -> dict[str, int]:
        out = await accrue(env.services.ledger, inst_id, through)
        for cur, amounts in out.get("by_currency", {}).items():
            into = minor.setdefault(cur, {"interest": 0, "penalty": 0})
            for k in into:
                into[k] += int(amounts.get(k, 0))
        # payments due in 3 days, advances on expired policies (#17): once per fact
        return {"loans": int(out["loans"]), **await lifecycle_daily(env.services.engine, inst_id, day)}

    totals = await _per_institution(env, "loan_accrual", one)
    accrued = {cur: {k: format_minor(v, cur) for k, v in amounts.items()} for cur, amounts in sorted(minor.items())}
    return {"through": through.isoformat(), **totals, "accrued": accrued}


async def advance_overdue_sweep(env: JobEnv, day: date) -> dict[str, Any]:
    """Flag every institution's advances outstanding longer than its flag
    months as of ``day`` (events, S9 alerts; once each)."""

    async def one(inst_id: Any) -> dict[str, int]:
        cfg = await institution_config(env.services.ledger, inst_id)
        return {"flagged": len(await flag_stale_advances(env.services.ledger, inst_id, as_of=day, config=cfg))}

    return {"as_of": day.isoformat(), **await _per_institution(env, "advance_overdue_sweep", one)}


#: the names of the engine's jobs (lock keys, lease rows, metrics labels)
JOB_NAMES = ("pending_expiry", "webhook_delivery", "purge", "loan_accrual", "advance_overdue_sweep")


def default_jobs(settings: Settings) -> list[Job]:
    """Every background job of the engine."""
    daily_poll = settings.job_poll_seconds
    return [
        Job("pending_expiry", 0.5, run=_expire_pending),
        Job("webhook_delivery", 0.5, run=_deliver_webhooks),
        Job("purge", 300.0, run=_purge),
        Job("loan_accrual", daily_poll, daily=loan_accrual),
        Job("advance_overdue_sweep", daily_poll, daily=advance_overdue_sweep),
    ]


# -- leadership --------------------------------------------------------------------------------


class Leadership:
    """Which jobs this process leads.  ``holds`` is a local check (no round
    trip); ``maintain`` (every poll) renews or confirms with the database and
    drops what is no longer held."""

    mode = "none"

    def __init__(self, holder: str) -> None:
        self.holder = holder
        #: job -> monotonic instant until which this process may act as its leader
        self._valid_until: dict[str, float] = {}

    def holds(self, job: str) -> bool:
        return self._valid_until.get(job, 0.0) > time.monotonic()

    def held(self) -> set[str]:
        return {j for j in self._valid_until if self.holds(j)}

    async def try_acquire(self, job: str) -> bool:
        raise NotImplementedError

    async def maintain(self) -> None:
        raise NotImplementedError

    async def release_all(self) -> None:
        raise NotImplementedError


class AdvisoryLeadership(Leadership):
    """PostgreSQL session advisory locks held by one dedicated connection."""

    mode = "advisory"

    def __init__(self, engine: AsyncEngine, holder: str, poll: float) -> None:
        super().__init__(holder)
        # a connection of its own, never returned to a pool with locks held
        self._engine = create_async_engine(engine.url, poolclass=NullPool)
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()
        self._grace = max(3 * poll, 5.0)

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            conn = await self._engine.connect()
            self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        return self._conn

    async def _drop(self) -> None:
        self._valid_until.clear()
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.invalidate()
            with contextlib.suppress(Exception):
                await conn.close()

    async def try_acquire(self, job: str) -> bool:
        async with self._lock:
            try:
                conn = await self._connection()
                got = bool((await conn.execute(text("SELECT pg_try_advisory_lock(:c, :o)"), {"c": ADVISORY_CLASS, "o": advisory_key(job)})).scalar())
            except Exception:  # the database may be away; try again next poll
                log.warning("advisory lock attempt failed", extra={"job": job}, exc_info=True)
                await self._drop()
                return False
            if got:
                self._valid_until[job] = time.monotonic() + self._grace
            return got

    async def maintain(self) -> None:
        if not self._valid_until:
            return
        async with self._lock:
            try:
                conn = await self._connection()
                rows = await conn.execute(
                    text("SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND classid = :c"), {"c": ADVISORY_CLASS}
                )
                keys = {int(r[0]) for r in rows}
            except Exception:  # the lock connection is gone: so are the locks
                log.warning("advisory lock connection lost", exc_info=True)
                await self._drop()
                return
            until = time.monotonic() + self._grace
            for job in list(self._valid_until):
                if advisory_key(job) in keys:
                    self._valid_until[job] = until
                else:
                    del self._valid_until[job]

    async def release_all(self) -> None:
        async with self._lock:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    await self._conn.execute(text("SELECT pg_advisory_unlock_all()"))
            await self._drop()
        await self._engine.dispose()


class LeaseLeadership(Leadership):
    """A renewed lease row per job in ``job_leases`` (any database)."""

    mode = "lease"

    def __init__(self, engine: AsyncEngine, holder: str, lease_seconds: float) -> None:
        super().__init__(holder)
        self.engine = engine
        self.lease = lease_seconds
        self._renewed = 0.0

    def _valid(self, started: float) -> float:
        # act as leader for two thirds of the lease only: the row expires
        # for the others a third of a lease after we stop
        return started + self.lease * 2 / 3

    async def try_acquire(self, job: str) -> bool:
        started = time.monotonic()
        now = clock.utc_now()
        values = dict(holder=self.holder, acquired_at=now, renewed_at=now, expires_at=now + timedelta(seconds=self.lease))
        try:
            seen = await _fresh_row(self.engine, job)
            if seen is not None and seen.holder != self.holder and _aware(seen.expires_at) >= now and not _dead_on_this_host(seen.holder):
                return False  # led elsewhere: no write transaction (SQLite has one writer at a time)
            async with self.engine.begin() as conn:
                res = await conn.execute(update(job_leases).where(job_leases.c.job == job, or_(job_leases.c.holder == self.holder, job_leases.c.expires_at < now)).values(**values))
                got = (res.rowcount or 0) == 1
                if not got and (await conn.execute(select(job_leases.c.job).where(job_leases.c.job == job))).first() is None:
                    await conn.execute(job_leases.insert().values(job=job, **values))
                    got = True
            if not got:
                got = await self._take_from_dead(job, values)
        except IntegrityError:
            return False  # another process inserted it first
        except Exception:  # the database may be away; try again next poll
            log.warning("lease attempt failed", extra={"job": job}, exc_info=True)
            return False
        if got:
            self._valid_until[job] = self._valid(started)
        return got

    async def _take_from_dead(self, job: str, values: dict[str, Any]) -> bool:
        """Take the lease of a holder on this host whose process has ended
        (killed, crashed) without waiting for it to expire."""
        row = (await _fresh_row(self.engine, job))
        if row is None or not _dead_on_this_host(row.holder):
            return False
        async with self.engine.begin() as conn:
            res = await conn.execute(update(job_leases).where(job_leases.c.job == job, job_leases.c.holder == row.holder).values(**values))
        if (res.rowcount or 0) == 1:
            log.info("lease taken from an ended process", extra={"job": job, "previous": row.holder})
            return True
        return False

    async def maintain(self) -> None:
        held = self.held()
        if not held:
            self._valid_until.clear()
            return
        if time.monotonic() - self._renewed < self.lease / 3:
            return
        started = time.monotonic()
        now = clock.utc_now()
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    update(job_leases).where(job_leases.c.holder == self.holder, job_leases.c.job.in_(held)).values(renewed_at=now, expires_at=now + timedelta(seconds=self.lease))
                )
                still = {r.job for r in await conn.execute(select(job_leases.c.job).where(job_leases.c.holder == self.holder, job_leases.c.job.in_(held)))}
        except Exception:  # not renewed: leadership runs out by itself
            log.warning("lease renewal failed", exc_info=True)
            return
        self._renewed = started
        for job in held:
            if job in still:
                self._valid_until[job] = self._valid(started)
            else:
                self._valid_until.pop(job, None)

    async def release_all(self) -> None:
        held = set(self._valid_until)
        self._valid_until.clear()
        if not held:
            return
        with contextlib.suppress(Exception):
            async with self.engine.begin() as conn:
                await conn.execute(update(job_leases).where(job_leases.c.holder == self.holder, job_leases.c.job.in_(held)).values(expires_at=clock.utc_now()))


def _aware(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


async def _fresh_row(engine: AsyncEngine, job: str) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(select(job_leases).where(job_leases.c.job == job))).first()


def _dead_on_this_host(holder: str) -> bool:
    """True when ``holder`` (host:pid:nonce) names a process of this host
    that no longer exists.  A reused pid only makes us wait for the lease."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def leadership_for(services: Services, holder: str) -> Leadership:
    """Advisory locks on PostgreSQL (unless ``job_leader_mode`` says
    ``lease``), leases elsewhere."""
    settings = services.settings
    mode = settings.job_leader_mode
    if mode == "auto":
        mode = "advisory" if services.engine.dialect.name == "postgresql" else "lease"
    if mode == "advisory":
        if services.engine.dialect.name != "postgresql":
            raise ValueError("XBORDER_JOB_LEADER_MODE=advisory needs PostgreSQL")
        return AdvisoryLeadership(services.engine, holder, settings.job_poll_seconds)
    return LeaseLeadership(services.engine, holder, settings.job_lease_seconds)


# -- the runner ---------------------------------------------------------------------------------


class JobMetrics:
    """Prometheus metrics of the jobs (on the API's registry in the server)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.leader = Gauge("xborder_job_leader", "1 while this process leads the job", ["job"], registry=registry)
        self.runs = Counter("xborder_job_runs_total", "Job runs by outcome (ok, failed)", ["job", "outcome"], registry=registry)
        self.last_success = Gauge("xborder_job_last_success_timestamp_seconds", "Unix time of the job's last successful run", ["job"], registry=registry)


class JobRunner:
    """Runs every job this process leads; tries to lead the others."""

    def __init__(
        self, services: Services, *, jobs: list[Job] | None = None, holder: str | None = None, registry: CollectorRegistry | None = None,
        leadership: Leadership | None = None,
    ) -> None:
        self.services = services
        self.settings = services.settings
        self.jobs = jobs if jobs is not None else default_jobs(self.settings)
        self.holder = holder or default_holder()
        self.leadership = leadership or leadership_for(services, self.holder)
        self.metrics = JobMetrics(registry or CollectorRegistry())
        self.env = JobEnv(services)
        self.poll = self.settings.job_poll_seconds
        hh, mm = self.settings.daily_jobs_at.split(":")
        self.daily_at = dtime(int(hh), int(mm))
        self._done: dict[str, date] = {}
        self._was_leader: set[str] = set()

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set, then give up every leadership."""
        log.info("job runner started", extra={"holder": self.holder, "mode": self.leadership.mode, "jobs": [j.name for j in self.jobs]})
        tasks = [asyncio.create_task(self._maintain(stop))] + [asyncio.create_task(self._job_loop(j, stop)) for j in self.jobs]
        try:
            await stop.wait()
        finally:
            for t in tasks:
                t.cancel()
            for t in tasks:
                with contextlib.suppress(BaseException):
                    await t
            released = sorted(self.leadership.held())
            await self.leadership.release_all()
            log.info("job runner stopped", extra={"holder": self.holder, "released": released})
            await self.env.aclose()

    async def _maintain(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):
                await self.leadership.maintain()
            self._note_losses()
            await _wait(stop, self.poll)

    def _note_losses(self) -> None:
        for job in list(self._was_leader):
            if not self.leadership.holds(job):
                self._was_leader.discard(job)
                self.metrics.leader.labels(job).set(0)
                log.warning("job leadership lost", extra={"job": job, "holder": self.holder})

    async def _lead(self, job: Job) -> bool:
        if self.leadership.holds(job.name):
            return True
        self._note_losses()
        if not await self.leadership.try_acquire(job.name):
            return False
        self._was_leader.add(job.name)
        self._done.pop(job.name, None)
        self.metrics.leader.labels(job.name).set(1)
        log.info("job leader acquired", extra={"job": job.name, "holder": self.holder, "mode": self.leadership.mode})
        return True

    async def _job_loop(self, job: Job, stop: asyncio.Event) -> None:
        next_at = 0.0
        while not stop.is_set():
            if not await self._lead(job):
                await _wait(stop, self.poll)
                continue
            if time.monotonic() >= next_at:
                delay = job.interval
                try:
                    more = await (self._run_daily(job) if job.daily else job.run(self.env))  # type: ignore[misc]
                    if job.run is not None:
                        self._ok(job.name)
                    delay = 0.0 if more and job.run is not None else job.interval
                except asyncio.CancelledError:
                    raise
                except Exception:  # keep the job alive; log and retry
                    self.metrics.runs.labels(job.name, "failed").inc()
                    log.warning("background job failed", extra={"job": job.name, "holder": self.holder}, exc_info=True)
                    delay = DAILY_RETRY_SECONDS if job.daily else max(job.interval, 1.0)
                next_at = time.monotonic() + delay
            await _wait(stop, min(self.poll, max(0.0, next_at - time.monotonic())))

    def _ok(self, job: str) -> None:
        self.metrics.runs.labels(job, "ok").inc()
        self.metrics.last_success.labels(job).set(time.time())

    async def _run_daily(self, job: Job) -> bool:
        """Run ``job`` for today's business day if it is time and no run of
        today has finished.  Returns False (nothing more to do now)."""
        tz = self.settings.business_timezone
        now = clock.business_now(tz)
        day = now.date()
        if self._done.get(job.name) == day or now.time() < self.daily_at or not self.leadership.holds(job.name):
            return False
        engine = self.services.engine
        async with engine.begin() as conn:
            row = (await conn.execute(select(job_runs).where(job_runs.c.job == job.name, job_runs.c.business_day == day))).first()
            if row is not None and row.finished_at is not None:
                self._done[job.name] = day
                return False
            started = clock.utc_now()
            if row is None:
                await conn.execute(job_runs.insert().values(job=job.name, business_day=day, holder=self.holder, attempts=1, started_at=started))
            else:
                await conn.execute(update(job_runs).where(job_runs.c.job == job.name, job_runs.c.business_day == day).values(
                    holder=self.holder, attempts=row.attempts + 1, started_at=started, result=None))
        log.info("daily job started", extra={"job": job.name, "business_day": day.isoformat(), "holder": self.holder})
        try:
            result = await job.daily(self.env, day)  # type: ignore[misc]
        except Exception as exc:
            async with engine.begin() as conn:
                await conn.execute(update(job_runs).where(job_runs.c.job == job.name, job_runs.c.business_day == day).values(result={"error": str(exc)[:500]}))
            raise
        async with engine.begin() as conn:
            await conn.execute(update(job_runs).where(and_(job_runs.c.job == job.name, job_runs.c.business_day == day)).values(finished_at=clock.utc_now(), result=result))
        self._done[job.name] = day
        self._ok(job.name)
        log.info("daily job finished", extra={"job": job.name, "business_day": day.isoformat(), "holder": self.holder, "result": result})
        return False


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=max(seconds, 0.0))


# -- the worker process -------------------------------------------------------------------------


async def run_worker(services: Services, *, metrics_port: int | None = None, holder: str | None = None) -> None:
    """``xborder worker``: run the jobs until SIGTERM or SIGINT, then release
    every leadership (a successor takes over at once)."""
    registry = CollectorRegistry()
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1", registry=registry)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner = JobRunner(services, holder=holder, registry=registry)
    try:
        await runner.run(stop)
    finally:
        await services.aclose()


async def job_status(engine: AsyncEngine) -> dict[str, Any]:
    """Leaders (leases, or advisory locks on PostgreSQL) and the latest daily runs."""
    out: dict[str, Any] = {"leases": [], "advisory_locks": [], "runs": []}
    async with engine.connect() as conn:
        out["leases"] = [dict(r._mapping) for r in await conn.execute(select(job_leases).order_by(job_leases.c.job))]
        out["runs"] = [dict(r._mapping) for r in await conn.execute(select(job_runs).order_by(job_runs.c.business_day.desc(), job_runs.c.job).limit(20))]
        if conn.dialect.name == "postgresql":
            rows = await conn.execute(text(
                "SELECT l.objid, a.pid, a.client_addr, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :c"), {"c": ADVISORY_CLASS})
            names = {advisory_key(j): j for j in JOB_NAMES}
            out["advisory_locks"] = [{"job": names.get(int(r.objid), str(r.objid)), "pid": r.pid, "client": str(r.client_addr), "since": r.backend_start} for r in rows]
    return out
