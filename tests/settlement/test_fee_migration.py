"""Migration 0013 moves receipt fees from a column per kind to a row per
(receipt, kind) and back, keeping every amount, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import text

from ledger.db import create_engine
from ledger.migrate import downgrade_async, upgrade_async

COLUMNS = (
    "id, institution_id, customer_id, external_ref, request_hash, currency, gross_minor, fee_warehousing_minor, fee_logistics_minor, fee_tax_minor, "
    "net_minor, usd_equivalent_minor, customs_mode, destination_country, merchant_kind, value_date, variance_flagged, evidence_refs, coverage_minor, "
    "coverage_flagged, status, advances_netted_minor, swept_minor, created_at"
)
VALUES = (
    ":id, :inst, :inst, :ref, 'h', 'USD', 1000, :wh, 0, :tax, :net, 1000, '9610', 'US', 'enterprise', :day, false, '[]', 0, false, 'credited', 0, 0, :now"
)


async def _url(db_kind, request, tmp_path):
    if db_kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'fees.db'}"
    pg = request.getfixturevalue("pg")
    name = f"xb_fees_{tmp_path.name[-20:].replace('-', '_')}"
    pg.server.create_database(name)
    return pg.server.url(name)


async def test_fee_columns_become_rows_and_come_back(db_kind, request, tmp_path):
    engine = create_engine(await _url(db_kind, request, tmp_path))
    try:
        await upgrade_async(engine, "0012")
        inst = uuid.uuid4()
        receipts = {"r1": (uuid.uuid4(), 60, 15), "r2": (uuid.uuid4(), 0, 0)}
        async with engine.begin() as conn:
            for ref, (rid, wh, tax) in receipts.items():
                ids = {"id": rid, "inst": inst} if db_kind == "postgresql" else {"id": rid.hex, "inst": inst.hex}
                await conn.execute(
                    text(f"INSERT INTO receipts ({COLUMNS}) VALUES ({VALUES})"),
                    {**ids, "ref": ref, "wh": wh, "tax": tax, "net": 1000 - wh - tax, "day": date(2026, 1, 5), "now": datetime.now(UTC)},
                )
        await upgrade_async(engine, "0013")
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT kind, amount_minor FROM receipt_fees ORDER BY kind"))).all()
        assert [tuple(r) for r in rows] == [("tax", 15), ("warehousing", 60)]  # zero fees are no rows
        await downgrade_async(engine, "0012")
        async with engine.connect() as conn:
            back = (await conn.execute(text("SELECT external_ref, fee_warehousing_minor, fee_logistics_minor, fee_tax_minor FROM receipts ORDER BY external_ref"))).all()
        assert [tuple(r) for r in back] == [("r1", 60, 0, 15), ("r2", 0, 0, 0)]
    finally:
        await engine.dispose()
