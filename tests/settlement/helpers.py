"""Builders for settlement tests."""

from __future__ import annotations

from datetime import date, timedelta

from settlement.customers import open_customer
from settlement.tradedata import OrderIn, PaymentIn, WaybillIn, ingest_orders, ingest_payments, ingest_waybills


async def merchant(stl, inst, ref="M1", fx_class="A", kind="enterprise", registered=True, currencies=("USD",)):
    return await open_customer(stl.ledger, stl.keyring, inst, ref=ref, kind=kind, name=f"Merchant {ref} Ltd", fx_class=fx_class, directory_registered=registered, currencies=currencies)


async def individual(stl, inst, ref="P1", id_number="110101199001011234", kind="individual"):
    return await open_customer(stl.ledger, stl.keyring, inst, ref=ref, kind=kind, name="Li Lei", id_number=id_number, fx_class=None if kind == "individual" else "A", currencies=("USD",))


async def matched_orders(stl, inst, merchant_ref: str, amounts: list[int], *, platform="shopx", currency="USD", prefix="O") -> list[str]:
    """Orders with waybill and payment, all agreeing: three-document matched."""
    day = date.today() - timedelta(days=10)
    ids = [f"{prefix}{n}" for n in range(len(amounts))]
    await ingest_orders(stl.engine, inst, platform, [OrderIn(i, merchant_ref, currency, a, day) for i, a in zip(ids, amounts, strict=False)])
    await ingest_payments(stl.engine, inst, platform, [PaymentIn(f"pay-{i}", i, merchant_ref, currency, a, day + timedelta(days=1)) for i, a in zip(ids, amounts, strict=False)])
    await ingest_waybills(stl.engine, inst, platform, [WaybillIn(f"wb-{i}", i, merchant_ref, day + timedelta(days=2)) for i in ids])
    return ids
