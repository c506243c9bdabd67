"""Financing benchmark: the daily accrual job (``financing.loans.accrue``)
over N active loans, loans per second, on a durable PostgreSQL, as a ratio
to the raw ledger batch rate measured on the same server in the same run.

    python bench/financing.py [--loans 100000] [--quick]

The loans are seeded in bulk (the lifecycle apply → decide → offer → accept
→ disburse is far too slow for 100,000): loan rows and their four ledger
accounts are inserted set-wise, and the disbursements (principal, the
settlement mirror, the arrangement fee) are posted with ``post_batch`` in
batches, with the same postings and idempotency keys as ``disburse``.  The
timed part is the real accrual path.

Prints a table; exit status 2 if a check failed (every loan accrued exactly
once for the day, a second run posts nothing, the ledger chains verify).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

ROOT = Path(__file__).resolve().parent.parent
# run as a script, the bench/ directory is sys.path[0]: drop it so that
# bench/http.py does not shadow the standard library's ``http`` package
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("XBORDER_RATES_URL", "")

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from financing import loan_schedule as LS  # noqa: E402
from financing import loans as L  # noqa: E402
from financing import schedules  # noqa: E402
from financing.products import COMPONENTS, create_product, rate_schedule  # noqa: E402
from financing.tables_loans import financing_loans  # noqa: E402
from ledger.config import Settings  # noqa: E402
from ledger.crypto import Keyring  # noqa: E402
from ledger.db import create_engine, run_in_transaction  # noqa: E402
from ledger.ids import uuid7  # noqa: E402
from ledger.migrate import upgrade  # noqa: E402
from ledger.model import NewTransaction, Posting  # noqa: E402
from ledger.schema import accounts as accounts_t  # noqa: E402
from ledger.service import Ledger  # noqa: E402
from settlement import accounts as A  # noqa: E402
from settlement.customers import open_customer  # noqa: E402
from tests.support.pgserver import PostgresServer  # noqa: E402

console = Console()
SEED_LOANS_PER_TX = 2_000  # 3 ledger items per loan: 6,000 per post_batch


def _account_row(institution_id: UUID, ledger_id: UUID, code: str, currency: str, owner_ref: str, metadata: dict, now: datetime) -> dict:
    """An ``accounts`` row as ``Ledger.create_account`` writes it (asset, no limit flags)."""
    return dict(
        id=uuid7(), institution_id=institution_id, ledger_id=ledger_id, code=code, name=code[:200], currency=currency, type="asset", owner_ref=owner_ref,
        metadata=metadata, debits_must_not_exceed_credits=False, credits_must_not_exceed_debits=False, closed=False,
        debits_posted=0, credits_posted=0, debits_pending=0, credits_pending=0, version=0, created_at=now,
    )


async def bulk_seed_active_loans(ledger: Ledger, institution_id: UUID, product, customers: list[UUID], n: int, *, on: date, principal: int, tenor_days: int, rng: random.Random) -> list[UUID]:
    """Benchmark helper: ``n`` active loans disbursed ``on`` (accruing from
    ``on``), as ``disburse`` leaves them, seeded set-wise."""
    cur = product.currency
    inst = await L.institution_accounts(ledger, institution_id, cur)
    fin = await L.financing_ledger_id(ledger, institution_id)
    stl = await A.settlement_ledger_id(ledger, institution_id)
    current = {c: await A.customer_account(ledger, institution_id, c, "current", cur) for c in customers}
    fee = L._fee(product, principal)
    # the schedule disburse stores (a bullet for the benchmark's product)
    plan = LS.stored(schedules.for_tenor(product.schedule_method, principal, await rate_schedule(ledger.engine, product), product.day_count, on, tenor_days, fee_minor=fee),
                     product.prepayment_rule)
    ids: list[UUID] = []
    for start in range(0, n, SEED_LOANS_PER_TX):
        now = datetime.now(UTC)
        acct_rows, loan_rows, items = [], [], []
        for _ in range(min(SEED_LOANS_PER_TX, n - start)):
            loan_id, cust = uuid7(), rng.choice(customers)
            acc = {}
            for comp in COMPONENTS:
                r = _account_row(institution_id, fin, f"loan:{loan_id}:{comp}", cur, str(cust),
                                 {"loan_id": str(loan_id), "component": comp, "customer_id": str(cust)}, now)
                acct_rows.append(r)
                acc[comp] = r["id"]
            meta = {"loan_id": str(loan_id), "customer_id": str(cust)}
            items += [
                NewTransaction(fin, [Posting(acc["principal"], principal, "debit", cur), Posting(inst["settlement-clearing"], principal, "credit", cur)],
                               idempotency_key=f"loan:{loan_id}:disburse:fin", effective_date=on, description="loan disbursement", metadata=meta),
                NewTransaction(stl, [Posting(inst["loans-clearing"], principal, "debit", cur), Posting(current[cust], principal, "credit", cur)],
                               idempotency_key=f"loan:{loan_id}:disburse:stl", effective_date=on, description="loan disbursement to current account", metadata=meta),
            ]
            if fee:
                items.append(NewTransaction(fin, [Posting(acc["fees"], fee, "debit", cur), Posting(inst["fee-income"], fee, "credit", cur)],
                                            idempotency_key=f"loan:{loan_id}:fee:arrangement", effective_date=on, description="arrangement fee", metadata={**meta, "fee": "arrangement"}))
            loan_rows.append(dict(
                id=loan_id, institution_id=institution_id, product_id=product.id, customer_id=cust, currency=cur, status="active",
                requested_minor=principal, limit_minor=principal, approved_minor=principal, tenor_days=tenor_days, asset_refs=[], decision=None, offer=None,
                disbursed_on=on, due_date=on + timedelta(days=tenor_days), accrued_through=on - timedelta(days=1), interest_carry="0/1", penalty_carry="0/1",
                dpd=0, bucket=None, accounts={k: str(v) for k, v in acc.items()}, disbursement_transaction_id=None, written_off_minor=0, created_at=now, updated_at=now,
                schedule=plan,
            ))
            ids.append(loan_id)

        async def work(conn, acct_rows=acct_rows, loan_rows=loan_rows, items=items):
            await conn.execute(accounts_t.insert(), acct_rows)
            await conn.execute(financing_loans.insert(), loan_rows)
            await L._post(conn, institution_id, items, ledger.options)

        await run_in_transaction(ledger.engine, work)
    return ids


async def run(url: str, n_loans: int, merchants: int, chunk: int) -> dict:
    settings = Settings(database_url=url, data_dir=Path("/tmp/xb-bench-keys"), secret_key="B" * 43 + "=")
    engine = create_engine(url, settings=settings)
    ledger = Ledger(engine, settings)
    keyring = Keyring.from_settings(settings)
    inst = (await ledger.create_institution("bench-bank", "Bench Bank")).id
    product = await create_product(
        engine, inst, code="order-usd", kind="order", currency="USD", fixed_rate=Decimal("0.073"), arrangement_fee_bp=50,
        penalty_rate=Decimal("0.18"), max_tenor_days=180,
    )
    rng = random.Random(7)
    console.print(f"setting up {merchants} merchants and {n_loans:,} active loans ...")
    custs = []
    for m in range(merchants):
        c = await open_customer(ledger, keyring, inst, ref=f"M{m:04d}", kind="enterprise", name=f"Merchant {m}", fx_class="A", directory_registered=True)
        custs.append(c.id)
    day = date(2026, 3, 2)
    t0 = time.perf_counter()
    ids = await bulk_seed_active_loans(ledger, inst, product, custs, n_loans, on=day, principal=1_000_000, tenor_days=90, rng=rng)
    seed_s = time.perf_counter() - t0
    console.print(f"seeded {len(ids):,} loans in {seed_s:,.1f}s; timing the accrual job for {day} ...")

    start = time.perf_counter()
    first = await L.accrue(ledger, inst, day, chunk_size=chunk)
    accrue_wall = time.perf_counter() - start
    loans_s = n_loans / accrue_wall
    again = await L.accrue(ledger, inst, day, chunk_size=chunk)

    # checks: every loan accrued exactly once for the day
    per_loan = 1_000_000 * 73 // 360_000  # 202.77… → 202 posted, the rest carried
    async with engine.connect() as conn:
        through = (await conn.execute(select(func.count()).where(financing_loans.c.institution_id == inst, financing_loans.c.accrued_through == day))).scalar()
        interest_total = (await conn.execute(
            select(func.sum(accounts_t.c.debits_posted - accounts_t.c.credits_posted)).where(accounts_t.c.institution_id == inst, accounts_t.c.code.like("loan:%:interest"))
        )).scalar()
    exact_once = (
        first["loans"] == n_loans and first["interest_minor"] == n_loans * per_loan and int(interest_total or 0) == n_loans * per_loan and through == n_loans
        and again == {"loans": 0, "interest_minor": 0, "penalty_minor": 0}
    )

    # the reference: raw ledger batches of accrual-shaped transfers on the same server
    fin = await L.financing_ledger_id(ledger, inst)
    inst_acc = await L.institution_accounts(ledger, inst, "USD")
    async with engine.connect() as conn:
        targets = [r.id for r in (await conn.execute(select(accounts_t.c.id).where(accounts_t.c.institution_id == inst, accounts_t.c.code.like("loan:%:interest")).limit(5_000))).all()]
    n_raw = min(n_loans, 20_000)
    batch = 1_000
    items = [NewTransaction(fin, [Posting(rng.choice(targets), 100, "debit"), Posting(inst_acc["interest-income"], 100, "credit")], idempotency_key=f"raw{i}") for i in range(n_raw + batch)]
    await ledger.post_batch(inst, items[:batch])
    start = time.perf_counter()
    for n in range(batch, len(items), batch):
        await ledger.post_batch(inst, items[n : n + batch])
    ledger_s = n_raw / (time.perf_counter() - start)

    stl_id = await A.settlement_ledger_id(ledger, inst)
    t0 = time.perf_counter()
    verify_ok = (await ledger.verify(inst, fin)).ok and (await ledger.verify(inst, stl_id)).ok
    verify_s = time.perf_counter() - t0
    await engine.dispose()
    return {
        "loans": n_loans, "loans_s": loans_s, "accrue_wall": accrue_wall, "ledger_s": ledger_s, "n_raw": n_raw, "seed_s": seed_s, "verify_s": verify_s,
        "first": first, "again": again, "through": through, "exact_once": exact_once, "verify_ok": verify_ok,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loans", type=int, default=100_000)
    p.add_argument("--merchants", type=int, default=300)
    p.add_argument("--chunk", type=int, default=L.ACCRUAL_CHUNK, help="loans per database transaction of the accrual job")
    p.add_argument("--quick", action="store_true", help="5,000 loans")
    args = p.parse_args(argv)
    if args.quick:
        args.loans = 5_000
    server = PostgresServer(durable=True).start()
    try:
        server.create_database("bench")
        url = server.url("bench")
        upgrade(url)
        res = asyncio.run(run(url, args.loans, args.merchants, args.chunk))
    finally:
        server.stop()
    t = Table(title=f"financing daily accrual on PostgreSQL (durable), {os.cpu_count()} cores")
    for col in ("path", "per second", "ratio"):
        t.add_column(col, justify="right" if col != "path" else "left")
    t.add_row(f"accrual job, {res['loans']:,} active loans, chunks of {args.chunk} ({res['accrue_wall']:,.1f}s)", f"{res['loans_s']:,.0f} loans", f"{res['loans_s'] / res['ledger_s']:.2f}x ledger")
    t.add_row(f"raw ledger transfers, {res['n_raw']:,} in batches of 1,000", f"{res['ledger_s']:,.0f}", "1.00x")
    console.print(t)
    console.print(
        f"seeding {res['seed_s']:,.1f}s; first run {res['first']}; second run {res['again']}; loans accrued through the day {res['through']:,}/{res['loans']:,}; "
        f"exactly once: {res['exact_once']}; chains verify: {res['verify_ok']} ({res['verify_s']:,.1f}s)"
    )
    return 0 if res["exact_once"] and res["verify_ok"] else 2


if __name__ == "__main__":
    sys.exit(main())
