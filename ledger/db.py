"""Database engine, connections and the retry loop.

One async code path for the embedded SQLite default and for PostgreSQL.
SQLite write transactions start with ``BEGIN IMMEDIATE`` so that concurrent
writers queue on the database lock instead of failing on lock upgrade, and
foreign keys are switched on.  Serialization failures and deadlocks
(SQLSTATE 40001 / 40P01) and SQLite's "database is locked" are retried by
:func:`run_in_transaction`, so callers written for PostgreSQL also run on
PostgreSQL-compatible distributed SQL.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from .config import Settings, get_settings
from .errors import DatabaseUnavailable

T = TypeVar("T")

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
UNAVAILABLE_SQLSTATES_PREFIX = ("08", "57P")  # connection exceptions, admin shutdown


def is_sqlite(engine_or_conn: AsyncEngine | AsyncConnection) -> bool:
    return engine_or_conn.dialect.name == "sqlite"


def insert_for(conn: AsyncConnection | AsyncEngine, table: Table) -> pg_dialect.Insert | sqlite_dialect.Insert:
    """A dialect-specific INSERT for ``table`` (``on_conflict_do_nothing`` /
    ``on_conflict_do_update`` exist on both PostgreSQL and SQLite)."""
    if conn.dialect.name == "postgresql":
        return pg_dialect.insert(table)
    return sqlite_dialect.insert(table)


def create_engine(url: str | None = None, settings: Settings | None = None) -> AsyncEngine:
    """An async engine for ``url`` (default: the configured database URL)."""
    settings = settings or get_settings()
    url = url or settings.database_url
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=settings.echo_sql, connect_args={"timeout": 30})
        _configure_sqlite(engine, settings)
    else:
        engine = create_async_engine(
            url,
            echo=settings.echo_sql,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_size,
            # no pre-ping round trip per transaction: a connection found dead
            # is invalidated and the transaction retried (run_in_transaction)
            pool_recycle=3600,
        )
    return engine


def _configure_sqlite(engine: AsyncEngine, settings: Settings) -> None:
    sync_engine = engine.sync_engine
    synchronous = settings.sqlite_synchronous.upper()
    if synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        synchronous = "FULL"

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - exercised by every SQLite test
        # Let SQLAlchemy's "begin" event emit BEGIN itself (see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:  # pragma: no cover
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    for obj in (orig, getattr(orig, "__cause__", None), exc):
        state = getattr(obj, "sqlstate", None) or getattr(obj, "pgcode", None)
        if state:
            return str(state)
    return None


def is_retryable(exc: BaseException) -> bool:
    """Serialization failure, deadlock, or SQLite lock contention."""
    if isinstance(exc, IntegrityError):
        return False
    if isinstance(exc, DBAPIError):
        state = _sqlstate(exc)
        if state in RETRYABLE_SQLSTATES:
            return True
        if isinstance(exc, OperationalError) and "database is locked" in str(exc):
            return True
    return False


def is_unavailable(exc: BaseException) -> bool:
    """The database cannot be reached (connection refused, shut down...)."""
    if isinstance(exc, (ConnectionError, OSError, asyncio.TimeoutError)):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        state = _sqlstate(exc)
        if state and state.startswith(UNAVAILABLE_SQLSTATES_PREFIX):
            return True
        text = str(exc).lower()
        if "connection" in text and ("refused" in text or "closed" in text or "lost" in text):
            return True
    return False


async def run_in_transaction(
    engine: AsyncEngine,
    work: Callable[[AsyncConnection], Awaitable[T]],
    *,
    retries: int | None = None,
    retry_on: Callable[[BaseException], bool] | None = None,
) -> T:
    """Run ``work(conn)`` in one database transaction, retrying it on
    serialization failures with jittered exponential backoff.

    ``retry_on`` may widen what is retried (the ledger retries a lost race on
    an idempotency key).  Raises :class:`DatabaseUnavailable` when the
    database cannot be reached or the retries are exhausted.
    """
    retries = retries if retries is not None else get_settings().max_retries
    delay = 0.001
    for attempt in range(retries):
        try:
            async with engine.begin() as conn:
                return await work(conn)
        except Exception as exc:  # classified below
            retry = is_retryable(exc) or (retry_on is not None and retry_on(exc))
            # a pooled connection that died (database restarted): retry on a fresh one
            if not retry and isinstance(exc, DBAPIError) and exc.connection_invalidated and attempt < 2:
                retry = True
            if retry and attempt + 1 < retries:
                await asyncio.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 0.2)
                continue
            if is_unavailable(exc):
                raise DatabaseUnavailable(f"database unavailable: {type(exc).__name__}") from exc
            if retry:
                raise DatabaseUnavailable(f"gave up after {retries} attempts: {type(exc).__name__}") from exc
            raise
    raise AssertionError("unreachable")  # pragma: no cover
