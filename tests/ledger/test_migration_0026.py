"""Migration 0026 (tenant keys) on a populated database: every row is kept,
the three tables that gain ``institution_id`` get their parent's (sessions
from their user, attempts from their delivery, match lines from their
match), the composite foreign keys refuse a row that names another
institution's parent, the journal's triggers (seal, zero sum, append-only)
still hold, and a downgrade keeps the rows too."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from ledger.db import create_engine
from ledger.migrate import downgrade_async, upgrade_async
from ledger.types import TS
from migrations import target_metadata

METADATA = target_metadata()

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
COUNTED = ("accounts", "transactions", "postings", "users", "user_sessions", "outbox_events", "webhook_deliveries", "webhook_attempts",
           "recon_lines", "recon_matches", "recon_match_lines")


async def _url(db_kind, request, tmp_path):
    if db_kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'm26.db'}"
    pg = request.getfixturevalue("pg")
    name = f"xb_m26_{tmp_path.name[-20:].replace('-', '_')}"
    pg.server.create_database(name)
    return pg.server.url(name)


def _filler(col_type: sa.types.TypeEngine) -> object:
    """A value for a NOT NULL column the test does not care about."""
    if isinstance(col_type, sa.JSON):
        return []
    try:
        py = col_type.python_type
    except NotImplementedError:
        py = str
    return {UUID: uuid4(), int: 1, bool: False, date: date(2026, 12, 1), datetime: NOW, dict: {}, bytes: b"x"}.get(py, "x")


def _ins(conn: sa.Connection, table: str, **given: object) -> None:
    """One row with ``given`` values, any other NOT NULL column filled."""
    cols = sa.inspect(conn).get_columns(table)
    values = {k: v for k, v in given.items() if v is not None}  # a NULL is the default
    for c in cols:
        if c["name"] not in values and not c["nullable"] and c.get("default") is None:
            values[c["name"]] = _filler(c["type"])
    t = sa.table(table, *(sa.column(k, _type(v)) for k, v in values.items()))
    conn.execute(t.insert().values(**values))


def _type(v: object) -> sa.types.TypeEngine:
    kinds = {UUID: sa.Uuid(), datetime: TS, date: sa.Date(), dict: sa.JSON(), list: sa.JSON(), bool: sa.Boolean(), int: sa.BigInteger(), bytes: sa.LargeBinary()}
    return kinds.get(type(v), sa.String())


def _tenant(conn: sa.Connection, code: str) -> dict[str, UUID]:
    ids = {k: uuid4() for k in ("inst", "ledger", "a", "b", "tx", "user", "session", "event", "endpoint", "delivery", "attempt", "recon", "line", "match")}
    i = ids["inst"]
    _ins(conn, "institutions", id=i, code=code, name=code, kind="bank", created_at=NOW)
    _ins(conn, "ledgers", id=ids["ledger"], institution_id=i, code="main", chain_seq=1)
    for acct in ("a", "b"):
        _ins(conn, "accounts", id=ids[acct], institution_id=i, ledger_id=ids["ledger"], code=acct, currency="USD", type="asset", metadata={},
             debits_must_not_exceed_credits=False, credits_must_not_exceed_debits=False, closed=False,
             debits_posted=0, credits_posted=0, debits_pending=0, credits_pending=0, version=0)
    for n, (acct, amount) in enumerate((("a", 500), ("b", -500))):  # postings first, then the sealing transaction row
        _ins(conn, "postings", transaction_id=ids["tx"], line_no=n, institution_id=i, ledger_id=ids["ledger"], account_id=ids[acct], currency="USD",
             amount=amount, phase="posted", account_version=1, balance_after=amount)
    _ins(conn, "transactions", id=ids["tx"], institution_id=i, ledger_id=ids["ledger"], seq=1, kind="standard", metadata={},
         pending_id=None, reverses_id=None)
    _ins(conn, "users", id=ids["user"], institution_id=i, username="u", role="finance")
    _ins(conn, "user_sessions", id=ids["session"], user_id=ids["user"], channel="api")
    _ins(conn, "outbox_events", id=ids["event"], institution_id=i, type="t", payload={})
    _ins(conn, "webhook_endpoints", id=ids["endpoint"], institution_id=i, url="https://example.com/h", enabled=True)
    _ins(conn, "webhook_deliveries", id=ids["delivery"], institution_id=i, event_id=ids["event"], endpoint_id=ids["endpoint"], status="pending")
    _ins(conn, "webhook_attempts", id=ids["attempt"], delivery_id=ids["delivery"], duration_ms=5)
    _ins(conn, "recon_accounts", id=ids["recon"], institution_id=i, ledger_account_id=ids["a"], fee_account_id=None, adjustment_account_id=None,
         currency="USD", config={})
    _ins(conn, "recon_lines", id=ids["line"], institution_id=i, recon_account_id=ids["recon"], statement_row_id=None, parent_line_id=None)
    _ins(conn, "recon_matches", id=ids["match"], institution_id=i, recon_account_id=ids["recon"])
    _ins(conn, "recon_match_lines", match_id=ids["match"], line_id=ids["line"])
    return ids


def _seed(conn: sa.Connection) -> list[dict[str, UUID]]:
    return [_tenant(conn, "bank-a"), _tenant(conn, "bank-b")]


def _counts(conn: sa.Connection) -> dict[str, int]:
    return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED}


def _institution_of(conn: sa.Connection, table: str, where: str, value: UUID) -> str:
    t = sa.table(table, sa.column(where, sa.Uuid()), sa.column("institution_id", sa.Uuid()))
    return str(conn.execute(sa.select(t.c.institution_id).where(t.c[where] == value)).scalar_one())


async def _refused(engine, sql: str, **params: object) -> None:
    with pytest.raises((IntegrityError, DBAPIError)):
        async with engine.begin() as conn:
            await conn.execute(sa.text(sql), params)


async def test_0026_keeps_the_rows_fills_the_new_columns_and_enforces_tenant_keys(db_kind, request, tmp_path):
    engine = create_engine(await _url(db_kind, request, tmp_path))
    try:
        await upgrade_async(engine, "0025")
        async with engine.begin() as conn:
            a, b = await conn.run_sync(_seed)
            before = await conn.run_sync(_counts)
        await upgrade_async(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == before
            # every primary key has the columns of the table definition in their order (old key first, institution_id last)
            pks = await conn.run_sync(lambda c: {t: sa.inspect(c).get_pk_constraint(t)["constrained_columns"] for t in METADATA.tables})
            assert pks == {name: [c.name for c in t.primary_key.columns] for name, t in METADATA.tables.items()}
            for t in (a, b):
                inst = str(t["inst"])
                assert await conn.run_sync(lambda c, t=t: _institution_of(c, "user_sessions", "id", t["session"])) == inst
                assert await conn.run_sync(lambda c, t=t: _institution_of(c, "webhook_attempts", "id", t["attempt"])) == inst
                assert await conn.run_sync(lambda c, t=t: _institution_of(c, "recon_match_lines", "line_id", t["line"])) == inst

        def uid(u: UUID) -> str:
            return u.hex if db_kind == "sqlite" else str(u)

        # a session of bank B naming bank A's user: the composite key refuses it
        await _refused(engine, "INSERT INTO user_sessions (id, institution_id, user_id, channel, created_at, expires_at) "
                               "VALUES (:id, :inst, :user, 'api', :now, :now)", id=uid(uuid4()), inst=uid(b["inst"]), user=uid(a["user"]), now=NOW)
        # the journal is still sealed and append-only
        await _refused(engine, "UPDATE postings SET amount = 7 WHERE transaction_id = :tx", tx=uid(a["tx"]))
        await _refused(engine, "INSERT INTO postings (transaction_id, line_no, institution_id, ledger_id, account_id, currency, amount, phase, "
                               "account_version, balance_after, effective_date, recorded_at) VALUES (:tx, 9, :inst, :led, :acct, 'USD', 1, 'posted', 2, 1, :d, :now)",
                       tx=uid(a["tx"]), inst=uid(a["inst"]), led=uid(a["ledger"]), acct=uid(a["a"]), d=date(2026, 12, 1), now=NOW)
        await downgrade_async(engine, "0025")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == before
            cols = await conn.run_sync(lambda c: [x["name"] for x in sa.inspect(c).get_columns("user_sessions")])
            assert "institution_id" not in cols
        await upgrade_async(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == before
    finally:
        await engine.dispose()


async def test_0026_refuses_a_row_without_its_parent_and_leaves_the_database_as_it_was(db_kind, request, tmp_path):
    # a session whose user is gone (only possible with the database's checks switched off) has no
    # institution to take: the upgrade fails as a whole, the database stays at 0025 (the revision before) with its rows
    engine = create_engine(await _url(db_kind, request, tmp_path))
    try:
        await upgrade_async(engine, "0025")
        async with engine.begin() as conn:
            await conn.run_sync(_seed)
        orphan = dict(id=uuid4(), user=uuid4())
        if db_kind == "sqlite":  # a plain connection: SQLite checks foreign keys only when asked to
            raw = sqlite3.connect(tmp_path / "m26.db")
            raw.execute("INSERT INTO user_sessions (id, user_id, channel, created_at, expires_at) VALUES (?, ?, 'api', ?, ?)",
                        (orphan["id"].hex, orphan["user"].hex, "2026-12-01 09:00:00.000000", "2026-12-01 09:00:00.000000"))
            raw.commit()
            raw.close()
        else:
            async with engine.begin() as conn:
                await conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                await conn.run_sync(lambda c: _ins(c, "user_sessions", id=orphan["id"], user_id=orphan["user"], channel="api"))
        async with engine.connect() as conn:
            before = await conn.run_sync(_counts)
        with pytest.raises(Exception, match="(?i)not null|null value"):
            await upgrade_async(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(lambda c: c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()) == "0025"
            assert await conn.run_sync(_counts) == before
            cols = await conn.run_sync(lambda c: [x["name"] for x in sa.inspect(c).get_columns("user_sessions")])
            assert "institution_id" not in cols
            pk = await conn.run_sync(lambda c: sa.inspect(c).get_pk_constraint("accounts")["constrained_columns"])
            assert pk == ["id"]
            if db_kind == "sqlite":
                triggers = await conn.run_sync(lambda c: sorted(r[0] for r in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
                assert triggers == sorted(["postings_immutable_delete", "postings_immutable_update", "postings_sealed", "transactions_balanced",
                                           "transactions_immutable_delete", "transactions_immutable_update"])
                assert await conn.run_sync(lambda c: c.exec_driver_sql("PRAGMA foreign_keys").scalar_one()) == 1
    finally:
        await engine.dispose()
