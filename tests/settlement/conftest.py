"""Settlement fixtures: the facade with manual rates, customers, evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ledger.crypto import Keyring
from settlement.rates import RateService
from settlement.service import Settlement

CST = ZoneInfo("Asia/Shanghai")


def today_cst() -> date:
    return datetime.now(UTC).astimezone(CST).date()


@pytest.fixture
async def stl(ledger, settings):
    rates = RateService(ledger.engine, [])
    s = Settlement(ledger, Keyring.from_settings(settings), rates)
    rates.config = s.config
    return s


@pytest.fixture
async def bank(stl):
    """An institution with USD/CNY and EUR/USD mid rates for today."""
    inst = await stl.ledger.create_institution(f"bank-{id(stl) % 100000}", "Bank")
    await stl.rates.set_manual_rate(inst.id, "USD", "CNY", Decimal("7.1000"), as_of=today_cst())
    await stl.rates.set_manual_rate(inst.id, "EUR", "USD", Decimal("1.0800"), as_of=today_cst())
    return inst.id
