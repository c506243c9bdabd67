"""The schema is made only by Alembic, identically on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from ledger.db import create_engine
from ledger.migrate import downgrade_async, head_revision, upgrade_async
from migrations import include_object, target_metadata

metadata = target_metadata()


def _shape(sync_conn):
    insp = inspect(sync_conn)
    tables = {}
    for name in insp.get_table_names():
        if name == "alembic_version":
            continue
        uniques = {u["name"] for u in insp.get_unique_constraints(name)}
        tables[name] = {
            "columns": sorted((c["name"], c["nullable"]) for c in insp.get_columns(name)),
            "pk": sorted(insp.get_pk_constraint(name)["constrained_columns"]),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(name)),
            "indexes": sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(name) if i["name"] not in uniques and not i["name"].startswith("sqlite_")),
        }
    return tables


def _diff(sync_conn):
    ctx = MigrationContext.configure(sync_conn, opts={"compare_type": False, "include_object": include_object})
    return compare_metadata(ctx, metadata)


async def _empty_db_url(db_kind, request, tmp_path):
    if db_kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    pg = request.getfixturevalue("pg")
    name = f"xb_empty_{tmp_path.name[-20:].replace('-', '_')}"
    pg.server.create_database(name)
    return pg.server.url(name)


async def test_upgrade_empty_database_to_head_and_back(db_kind, request, tmp_path):
    url = await _empty_db_url(db_kind, request, tmp_path)
    engine = create_engine(url)
    try:
        await upgrade_async(engine)
        async with engine.connect() as conn:
            rev = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
            assert rev == head_revision()
            shape = await conn.run_sync(_shape)
            assert set(shape) == set(metadata.tables)
            # the migrations and the table definitions the code uses agree
            assert await conn.run_sync(_diff) == []
        await downgrade_async(engine, "base")
        async with engine.connect() as conn:
            left = await conn.run_sync(lambda c: [t for t in inspect(c).get_table_names() if t != "alembic_version"])
            assert left == []
        await upgrade_async(engine)  # and up again, cleanly
    finally:
        await engine.dispose()


async def test_schema_is_identical_on_sqlite_and_postgresql(request, tmp_path):
    shapes = []
    for kind in ("sqlite", "postgresql"):
        engine = create_engine(await _empty_db_url(kind, request, tmp_path))
        try:
            await upgrade_async(engine)
            async with engine.connect() as conn:
                shapes.append(await conn.run_sync(_shape))
        finally:
            await engine.dispose()
    sqlite_shape, pg_shape = shapes
    assert sqlite_shape == pg_shape
