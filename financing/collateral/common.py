"""What the collateral modules share: the asset kinds, the rulebook's
thresholds (:class:`CollateralConfig`), input checks, rounding, LTV
arithmetic, row locking and the audit entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.errors import InvalidInput
from ledger.events import record_audit

from ..amounts import public_amounts

ORDER, WAREHOUSE_RECEIPT, INSURED_RECEIVABLE = "order", "warehouse_receipt", "insured_receivable"
ASSET_KINDS = (ORDER, WAREHOUSE_RECEIPT, INSURED_RECEIVABLE)

RATIO_PLACES = Decimal("0.0001")

_S = TypeVar("_S", bound=Select[Any])


@dataclass(frozen=True, slots=True)
class CollateralConfig:
    """The rulebook's defaults; a product may override any of them
    (:meth:`from_mapping` reads decimal strings from a product's config)."""

    order_advance_rate: Decimal = Decimal("0.70")
    #: order match statuses that may back a loan ("confirmed" where a platform confirms orders)
    order_eligible_statuses: tuple[str, ...] = ("matched", "confirmed")
    wr_initial_ltv_max: Decimal = Decimal("0.60")
    wr_margin_call_ltv: Decimal = Decimal("0.75")
    wr_liquidation_ltv: Decimal = Decimal("0.85")
    #: LTV a margin call restores
    wr_target_ltv: Decimal = Decimal("0.60")
    wr_cure_business_days: int = 5
    insurance_advance_rate: Decimal = Decimal("0.80")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> CollateralConfig:
        if not data:
            return cls()
        kw: dict[str, Any] = {}
        defaults = cls()
        for f in fields(cls):
            if f.name not in data:
                continue
            v = data[f.name]
            default = getattr(defaults, f.name)
            if isinstance(default, Decimal):
                kw[f.name] = parse_ratio(v, f.name)
            elif isinstance(default, int):
                kw[f.name] = int(v)
            else:
                kw[f.name] = tuple(v)
        return cls(**kw)


def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, (float, bool)):
        raise InvalidInput(f"{name} must be a decimal string, not a float", field=name)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{name} must be a decimal", field=name, value=str(value)) from None


def parse_ratio(value: Any, name: str, *, upper: Decimal = Decimal(1)) -> Decimal:
    """A decimal ratio from 0 to ``upper`` (never a float)."""
    d = _decimal(value, name)
    if not d.is_finite() or d < 0 or d > upper:
        raise InvalidInput(f"{name} must be between 0 and {upper}", field=name, value=str(value))
    return d


def parse_quantity(value: Any, name: str = "quantity") -> Decimal:
    """A positive decimal quantity of goods (never a float)."""
    d = _decimal(value, name)
    if not d.is_finite() or d <= 0:
        raise InvalidInput(f"{name} must be positive", field=name, value=str(value))
    return d


def check_minor(value: Any, name: str, *, positive: bool = True) -> int:
    """An integer amount of minor units (positive, or non-negative)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be an integer number of minor units", field=name)
    if value < 0 or (positive and value == 0):
        raise InvalidInput(f"{name} must be {'positive' if positive else 'non-negative'}", field=name, value=value)
    if value >= 2**62:
        raise InvalidInput(f"{name} is too large", field=name)
    return value


def check_text(value: Any, name: str, max_len: int) -> str:
    """1..``max_len`` printable characters, stripped."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > max_len or not value.strip().isprintable():
        raise InvalidInput(f"{name} must be 1..{max_len} printable characters", field=name)
    return value.strip()


def check_ref(financing_ref: str) -> str:
    if not isinstance(financing_ref, str) or not financing_ref or len(financing_ref) > 128:
        raise InvalidInput("financing_ref must be 1..128 characters")
    return financing_ref


def floor_int(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_FLOOR))


def ceil_int(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_CEILING))


def ltv_of(outstanding: int, valuation: int) -> Decimal:
    """outstanding / valuation to 4 places (infinite without a valuation)."""
    if valuation <= 0:
        return Decimal("Infinity") if outstanding > 0 else Decimal(0)
    return (Decimal(outstanding) / Decimal(valuation)).quantize(RATIO_PLACES)


def above(outstanding: int, valuation: int, threshold: Decimal) -> bool:
    """outstanding / valuation > threshold, exactly (no division)."""
    return Decimal(outstanding) > threshold * Decimal(valuation)


def for_update(conn: AsyncConnection, stmt: _S, lock: bool) -> _S:
    """``stmt`` locking its rows on PostgreSQL when ``lock`` (SQLite
    serialises writers anyway)."""
    if lock and conn.dialect.name == "postgresql":
        return stmt.with_for_update()
    return stmt


async def audit(
    conn: AsyncConnection,
    institution_id: UUID,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_id: str = "collateral",
    actor_type: str = "system",
    currency: str | None = None,
) -> None:
    """An audit entry; with ``currency`` its ``*_minor`` amounts are written as decimal strings of it."""
    if currency is not None:
        before, after = public_amounts(before, currency), public_amounts(after, currency)
        after = None if after is None else {**after, "currency": currency}
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor_type, actor_id=str(actor_id), action=action,
        object_type=object_type, object_id=str(object_id), before=before, after=after,
    )
