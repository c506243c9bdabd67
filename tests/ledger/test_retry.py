"""A serialization failure (SQLSTATE 40001, what CockroachDB, YugabyteDB and
PostgreSQL at REPEATABLE READ / SERIALIZABLE answer on a conflict) is retried
by ``run_in_transaction``: the work runs again on a fresh transaction and its
second run commits.  Provoked for real on PostgreSQL: the work reads a row
at REPEATABLE READ, another connection changes and commits it, the work's
update then fails with 40001.  (SQLite serializes writers: it never answers
40001.)"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import select, update

from ledger.db import run_in_transaction
from ledger.schema import institutions


async def test_a_serialization_failure_is_retried_and_the_work_runs_again(db_kind, engine):
    if db_kind != "postgresql":
        pytest.skip("SQLite serializes writers: no serialization failures")
    iid = uuid4()
    async with engine.begin() as conn:
        await conn.execute(institutions.insert().values(id=iid, code="retry", name="n0", kind="bank", created_at=datetime.now(UTC)))
    runs: list[str] = []

    async def work(conn):
        await conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        seen = (await conn.execute(select(institutions.c.name).where(institutions.c.id == iid))).scalar_one()
        runs.append(seen)
        if len(runs) == 1:  # a concurrent writer commits between our read and our write
            async with engine.begin() as other:
                await other.execute(update(institutions).where(institutions.c.id == iid).values(name="other"))
        await conn.execute(update(institutions).where(institutions.c.id == iid).values(name=seen + "+mine"))
        return seen

    assert await run_in_transaction(engine, work, retries=3) == "other"
    assert runs == ["n0", "other"]  # the first run failed with 40001 and was run again, seeing the other's commit
    async with engine.connect() as conn:
        assert (await conn.execute(select(institutions.c.name).where(institutions.c.id == iid))).scalar_one() == "other+mine"
