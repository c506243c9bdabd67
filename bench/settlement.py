"""Settlement benchmark: receipts per second end to end (routing, netting of
three fees, evidence check against matched platform orders, yearly totals,
posting) in batches of 1,000, on a durable PostgreSQL, as a ratio to the raw
ledger batch rate measured on the same server in the same run.

    python bench/settlement.py [--receipts 10000] [--batch 1000] [--quick]

Prints a table; exit status 2 if a receipt was refused or a check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

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

from ledger.config import Settings  # noqa: E402
from ledger.crypto import Keyring  # noqa: E402
from ledger.db import create_engine  # noqa: E402
from ledger.migrate import upgrade  # noqa: E402
from ledger.model import NewTransaction, Posting  # noqa: E402
from ledger.service import Ledger  # noqa: E402
from settlement import accounts as A  # noqa: E402
from settlement.customers import open_customer  # noqa: E402
from settlement.rates import RateService  # noqa: E402
from settlement.receipts import ReceiptIn  # noqa: E402
from settlement.service import Settlement  # noqa: E402
from settlement.tradedata import OrderIn, PaymentIn, WaybillIn, ingest_orders, ingest_payments, ingest_waybills  # noqa: E402
from tests.support.pgserver import PostgresServer  # noqa: E402

console = Console()


async def run(url: str, n_receipts: int, batch: int, merchants: int) -> dict:
    settings = Settings(database_url=url, data_dir=Path("/tmp/xb-bench-keys"), secret_key="B" * 43 + "=")
    engine = create_engine(url, settings=settings)
    ledger = Ledger(engine, settings)
    rates = RateService(engine, [])
    stl = Settlement(ledger, Keyring.from_settings(settings), rates)
    rates.config = stl.config
    inst = (await ledger.create_institution("bench-bank", "Bench Bank")).id
    await rates.set_manual_rate(inst, "USD", "CNY", Decimal("7.1"), as_of=date.today())
    rng = random.Random(11)

    console.print(f"setting up {merchants} merchants and {n_receipts} matched orders ...")
    custs = []
    for m in range(merchants):
        c = await open_customer(ledger, stl.keyring, inst, ref=f"M{m:04d}", kind="enterprise", name=f"Merchant {m}", fx_class="A", directory_registered=True)
        custs.append(c)
    day = date.today() - timedelta(days=5)
    orders, waybills, payments, receipts = [], [], [], []
    for i in range(n_receipts + batch):
        c = custs[i % merchants]
        gross = rng.randint(10_000, 500_000)
        oid = f"O{i:07d}"
        orders.append(OrderIn(oid, c.ref, "USD", gross, day))
        payments.append(PaymentIn(f"P{i:07d}", oid, c.ref, "USD", gross, day + timedelta(days=1)))
        waybills.append(WaybillIn(f"W{i:07d}", oid, c.ref, day + timedelta(days=2)))
        fees = {"warehousing": gross // 50, "logistics": gross // 100, "tax": gross // 200}
        receipts.append(
            ReceiptIn(
                customer_id=c.id, currency="USD", gross_minor=gross, net_minor=gross - sum(fees.values()), customs_mode="9610",
                destination_country=rng.choice(["US", "DE", "GB", "JP"]), external_ref=f"R{i:07d}", fees=fees, declared_value_minor=gross,
                platform_code="shopx", evidence_orders=[oid],
            )
        )
    await ingest_orders(engine, inst, "shopx", orders)
    await ingest_payments(engine, inst, "shopx", payments)
    await ingest_waybills(engine, inst, "shopx", waybills)
    for c in custs:  # open accounts before timing
        for k in ("current", "pending", "suspense"):
            await A.customer_account(ledger, inst, c.id, k, "USD")

    # warm-up batch (not timed)
    warm, timed = receipts[:batch], receipts[batch:]
    await stl.receipts.post_receipts(inst, warm)
    refused = 0
    start = time.perf_counter()
    for n in range(0, len(timed), batch):
        out = await stl.receipts.post_receipts(inst, timed[n : n + batch])
        refused += sum(1 for x in out if not isinstance(x, dict))
    receipts_s = len(timed) / (time.perf_counter() - start)

    # the reference: raw ledger batches of the same size on the same server
    led_id = await A.settlement_ledger_id(ledger, inst)
    nostro = await A.institution_account(ledger, inst, "nostro", "USD")
    targets = [await A.customer_account(ledger, inst, c.id, "current", "USD") for c in custs]
    items = [NewTransaction(led_id, [Posting(nostro, 100, "debit"), Posting(rng.choice(targets), 100, "credit")], idempotency_key=f"raw{i}") for i in range(len(timed))]
    await ledger.post_batch(inst, items[:batch])
    start = time.perf_counter()
    for n in range(batch, len(items), batch):
        await ledger.post_batch(inst, items[n : n + batch])
    ledger_s = (len(items) - batch) / (time.perf_counter() - start)

    # checks: every receipt posted once, fully covered, ledger verifies
    from sqlalchemy import func, select

    from settlement.tables_receipts import receipts as receipts_table

    async with engine.connect() as conn:
        count, covered = (await conn.execute(select(func.count(), func.sum(receipts_table.c.coverage_minor)).where(receipts_table.c.institution_id == inst))).one()
    gross_total = sum(r.gross_minor for r in receipts)
    report = await ledger.verify(inst, led_id)
    await engine.dispose()
    return {
        "receipts": len(timed), "receipts_s": receipts_s, "ledger_s": ledger_s, "refused": refused,
        "posted": count, "coverage_ok": int(covered or 0) == gross_total, "verify_ok": report.ok, "expected": len(receipts),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--receipts", type=int, default=10_000)
    p.add_argument("--batch", type=int, default=1_000)
    p.add_argument("--merchants", type=int, default=200)
    p.add_argument("--quick", action="store_true", help="2,000 receipts")
    args = p.parse_args(argv)
    if args.quick:
        args.receipts = 2_000
    server = PostgresServer(durable=True).start()
    try:
        server.create_database("bench")
        url = server.url("bench")
        upgrade(url)
        res = asyncio.run(run(url, args.receipts, args.batch, args.merchants))
    finally:
        server.stop()
    t = Table(title=f"settlement receipts on PostgreSQL (durable), {os.cpu_count()} cores")
    for col in ("path", "per second", "ratio"):
        t.add_column(col, justify="right" if col != "path" else "left")
    t.add_row(f"receipts end to end, batches of {args.batch}", f"{res['receipts_s']:,.0f}", f"{res['receipts_s'] / res['ledger_s']:.2f}x ledger")
    t.add_row(f"raw ledger transfers, batches of {args.batch}", f"{res['ledger_s']:,.0f}", "1.00x")
    console.print(t)
    ok = res["refused"] == 0 and res["posted"] == res["expected"] and res["coverage_ok"] and res["verify_ok"]
    console.print(f"receipts posted {res['posted']}/{res['expected']}, refused {res['refused']}, evidence fully covered: {res['coverage_ok']}, chain verifies: {res['verify_ok']}")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
