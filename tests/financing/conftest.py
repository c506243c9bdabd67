"""Financing fixtures: the settlement facade and a bank (reused from
tests/settlement), merchants and configured products."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.bootstrap import register_hooks
from financing.products import create_product
from tests.settlement.conftest import bank, stl  # noqa: F401 - fixtures
from tests.settlement.helpers import merchant


@pytest.fixture(autouse=True)
def proceeds_hooks() -> None:
    """The proceeds hooks (advance netting, then the order-loan sweep) as
    the app registers them, whichever tests ran before."""
    register_hooks()


@pytest.fixture
async def usd_order_product(stl, bank):
    return await create_product(
        stl.ledger.engine, bank, code="order-usd", kind="order", currency="USD", fixed_rate=Decimal("0.073"),
        arrangement_fee_bp=50, penalty_rate=Decimal("0.18"), max_tenor_days=180,
    )


@pytest.fixture
async def m1(stl, bank):
    return await merchant(stl, bank, ref="M1", currencies=("USD",))
