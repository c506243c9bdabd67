"""Migration 0018 moves existing registry entries to identity keys: a
receipt recorded with a valid unified social credit code as its issuer gets
the new key (and its registry entry follows); a receipt recorded with a
name only keeps its old key; where two spellings of one receipt were both
financed before 0018, the first encumbrance takes the new key and the later
keeps its old one; insured receivables and policies get their keys."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext

from financing.collateral.registry import insured_receivable_key, policy_key, warehouse_receipt_key
from ledger.db import create_engine
from ledger.migrate import head_revision, upgrade_async
from ledger.types import TS

WH = "91440300708461136T"


def _old(*parts: str) -> str:
    return hashlib.sha256(("xborder-asset-v1\x00" + "|".join(parts)).encode()).hexdigest()


def _old_wr(issuer: str, number: str) -> str:
    return _old("wr", issuer.strip().upper(), number.strip().upper())


async def _url(db_kind, request, tmp_path):
    if db_kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'm15.db'}"
    pg = request.getfixturevalue("pg")
    name = f"xb_m15_{tmp_path.name[-20:].replace('-', '_')}"
    pg.server.create_database(name)
    return pg.server.url(name)


def _type(v):
    return {UUID: sa.Uuid(), datetime: TS, date: sa.Date(), int: sa.BigInteger()}.get(type(v), sa.String())


def _ins(conn, table, **values):
    t = sa.table(table, *(sa.column(k, _type(v)) for k, v in values.items()))
    conn.execute(t.insert().values(**values))


def _receipt(conn, inst, issuer, number, key):
    rid = uuid4()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    _ins(conn, "financing_warehouse_receipts", id=rid, institution_id=inst, customer_id=uuid4(), issuer=issuer, receipt_number=number, goods_type="copper",
         quantity="1", unit="t", location="X", asset_key=key, status="pledged", created_at=now, updated_at=now)
    return rid


def _encumber(conn, inst, key, kind, when):
    _ins(conn, "financing_asset_registry", asset_key=key, asset_kind=kind, state="encumbered", holder=hashlib.sha256(str(inst).encode()).hexdigest(), encumbered_at=when)
    _ins(conn, "financing_encumbrances", id=uuid4(), institution_id=inst, asset_key=key, asset_kind=kind, financing_ref="loan", encumbered_at=when)


def _seed(conn):
    a, b = uuid4(), uuid4()
    out = {"a": a, "b": b}
    k1, k2 = _old_wr(WH, "WR-1"), _old_wr(WH.lower() + " ", "wr 1")
    assert k1 != k2  # the defect: two spellings, two keys
    out["first"] = _receipt(conn, a, WH, "WR-1", k1)
    _encumber(conn, a, k1, "warehouse_receipt", datetime(2026, 11, 1, tzinfo=UTC))
    out["second"] = _receipt(conn, b, WH.lower() + " ", "wr 1", k2)
    _encumber(conn, b, k2, "warehouse_receipt", datetime(2026, 11, 2, tzinfo=UTC))
    out["named"] = _receipt(conn, a, "Qianhai Bonded Warehouse", "WR-9", _old_wr("Qianhai Bonded Warehouse", "WR-9"))
    pid = uuid4()
    _ins(conn, "financing_insurance_policies", id=pid, institution_id=a, customer_id=uuid4(), insurer="Sinosure", policy_number="SINO-1", coverage_ratio="0.9",
         currency="USD", created_at=datetime(2026, 11, 1, tzinfo=UTC))
    out["policy"] = pid
    rk = _old("ins", "SINOSURE", "SINO-1", "BUYER-1", "INV-1")
    rec = uuid4()
    _ins(conn, "financing_insured_receivables", id=rec, institution_id=a, policy_id=pid, buyer_ref="BUYER-1", invoice_number="INV-1", currency="USD", amount_minor=100,
         due_date=date(2027, 1, 1), asset_key=rk, status="financed", created_at=datetime(2026, 11, 1, tzinfo=UTC))
    _encumber(conn, a, rk, "insured_receivable", datetime(2026, 11, 1, tzinfo=UTC))
    out["receivable"] = rec
    out["k2"] = k2
    out["named_key"] = _old_wr("Qianhai Bonded Warehouse", "WR-9")
    return out


async def test_migration_0018_moves_registry_entries_to_identity_keys(db_kind, request, tmp_path):
    engine = create_engine(await _url(db_kind, request, tmp_path))
    try:
        await upgrade_async(engine, "0013")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        await upgrade_async(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision()) == head_revision()

            def read(c):
                t = sa.table("financing_warehouse_receipts", sa.column("id", sa.Uuid()), sa.column("warehouse_code", sa.String()), sa.column("asset_key", sa.String()))
                wr = {r.id: r for r in c.execute(sa.select(t.c.id, t.c.warehouse_code, t.c.asset_key))}
                reg = {r.asset_key: r.asset_kind for r in c.execute(sa.text("SELECT asset_key, asset_kind FROM financing_asset_registry"))}
                enc = {r.asset_key for r in c.execute(sa.text("SELECT asset_key FROM financing_encumbrances"))}
                rec = c.execute(sa.text("SELECT asset_key FROM financing_insured_receivables")).scalar_one()
                pol = c.execute(sa.text("SELECT policy_key, insurer_code FROM financing_insurance_policies")).one()
                return wr, reg, enc, rec, pol

            wr, reg, enc, rec, pol = await conn.run_sync(read)
    finally:
        await engine.dispose()
    new = warehouse_receipt_key(WH, "WR-1")
    by_id = {str(k): v for k, v in wr.items()}
    first, second, named = by_id[str(seeded["first"])], by_id[str(seeded["second"])], by_id[str(seeded["named"])]
    assert first.warehouse_code == WH and first.asset_key == new and new in reg and new in enc
    # the same receipt financed a second time under another spelling keeps its old key (both stay visible)
    assert second.warehouse_code == WH and second.asset_key == seeded["k2"] and seeded["k2"] in reg
    # a receipt recorded with a name only keeps its old key and no code
    assert named.warehouse_code is None and named.asset_key == seeded["named_key"]
    assert rec == insured_receivable_key("BUYER-1", "INV-1") and rec in reg and rec in enc
    assert pol.policy_key == policy_key("Sinosure", "SINO-1") and pol.insurer_code is None
