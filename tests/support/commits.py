"""Counting the commits of an engine, each classified by what the database
does for it (issue #14 item 1: one durable commit per money-moving request).

The classification is asked of the database itself, on the committing
connection, just before the COMMIT goes out:

* PostgreSQL: did the transaction write (``pg_current_xact_id_if_assigned()``
  is not null; a read-only transaction's COMMIT flushes nothing) and did it
  (or its session) turn ``synchronous_commit`` off (the test server is run
  with it off for speed, so the server's own default does not count: on a
  durable server, what the code did not turn off waits for the WAL flush);
* SQLite: did the transaction change rows (``total_changes()`` moved since
  BEGIN) and does its COMMIT sync (``PRAGMA synchronous`` FULL or EXTRA; in
  WAL mode a NORMAL or OFF commit does not wait for the disk).

``durable`` counts the writing commits the caller waits for; ``nondurable``
the writing ones it does not wait for (synced by the next durable commit or
the database's background writer); ``read_only`` the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from api.idempotency import NONDURABLE_SQL


def _query(conn: Any, sql: str) -> tuple[Any, ...]:
    """One row of ``sql`` on ``conn``'s DB-API connection (no SQLAlchemy events)."""
    cur = conn.connection.dbapi_connection.cursor()
    try:
        cur.execute(sql)
        return tuple(cur.fetchone())
    finally:
        cur.close()


@dataclass
class CommitCounter:
    engine: AsyncEngine
    durable: int = 0
    nondurable: int = 0
    read_only: int = 0
    log: list[str] = field(default_factory=list)
    _changes: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sqlite = self.engine.dialect.name == "sqlite"
        event.listen(self.engine.sync_engine, "begin", self._begin)
        event.listen(self.engine.sync_engine, "commit", self._commit)
        event.listen(self.engine.sync_engine, "rollback", self._rollback)
        event.listen(self.engine.sync_engine, "after_cursor_execute", self._autocommitted)

    def close(self) -> None:
        event.remove(self.engine.sync_engine, "begin", self._begin)
        event.remove(self.engine.sync_engine, "commit", self._commit)
        event.remove(self.engine.sync_engine, "rollback", self._rollback)
        event.remove(self.engine.sync_engine, "after_cursor_execute", self._autocommitted)

    def reset(self) -> None:
        self.durable = self.nondurable = self.read_only = 0
        self.log.clear()

    def _begin(self, conn: Any) -> None:
        if self.sqlite:
            self._changes[id(conn)] = _query(conn, "SELECT total_changes()")[0]

    def _rollback(self, conn: Any) -> None:
        self._changes.pop(id(conn), None)

    def _autocommitted(self, conn: Any, cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        """A statement run outside a transaction block commits on its own
        (no commit event): it wrote when it is an INSERT/UPDATE/DELETE that
        changed rows, and it waits for the disk unless the statement itself
        turns ``synchronous_commit`` off for its transaction (the idempotency
        claim on PostgreSQL: ``api.idempotency.NONDURABLE_SQL``)."""
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            return
        wrote = statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"} and (cursor.rowcount or 0) > 0
        waits = NONDURABLE_SQL not in statement
        self._count("read_only" if not wrote else "durable" if waits else "nondurable")

    def _count(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.log.append(kind)

    def _commit(self, conn: Any) -> None:
        if self.sqlite:
            wrote = _query(conn, "SELECT total_changes()")[0] != self._changes.pop(id(conn), None)
            waits = _query(conn, "PRAGMA synchronous")[0] >= 2
        else:
            wrote, setting, source = _query(
                conn, "SELECT pg_current_xact_id_if_assigned() IS NOT NULL, setting, source FROM pg_settings WHERE name = 'synchronous_commit'"
            )
            # the test server runs with synchronous_commit off for speed: what
            # counts is whether the transaction (or session) turned it off
            waits = not (setting == "off" and source == "session")
        self._count("read_only" if not wrote else "durable" if waits else "nondurable")
