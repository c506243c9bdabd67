"""Trade data: the record types, constants and errors shared by the intake,
the three-document match and the evidence registry."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from ledger.errors import InvalidInput, NotFound

KINDS = ("orders", "waybills", "payments", "refunds")
MATCHED, PARTIAL, MISMATCHED = "matched", "partial", "mismatched"
MATCH_STATUSES = (MATCHED, PARTIAL, MISMATCHED)
REFUND_KINDS = ("return", "refund", "chargeback")
#: at most this many rejects are listed in a file's report (all are held in the table)
MAX_REPORTED_REJECTS = 1000
#: bulk calls accept at most this many records (files have no limit)
MAX_BULK_RECORDS = 10_000


class OrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"

    def __init__(self, ref: object) -> None:
        super().__init__("order", ref)


class RecordRejected(InvalidInput):
    """A single trade record was rejected (and held with its reason)."""

    code = "trade_record_rejected"
    title = "Trade record rejected"

    def __init__(self, kind: str, reason: str, external_id: str | None = None) -> None:
        super().__init__(f"{kind[:-1]} {external_id or ''} rejected: {reason}".replace("  ", " "), kind=kind, reason=reason, external_id=external_id)



# -- records -------------------------------------------------------------------------------


@dataclass(slots=True)
class OrderIn:
    external_id: str
    merchant_ref: str
    currency: str
    amount_minor: int
    order_date: date
    customs_mode: str | None = None
    destination_country: str | None = None


@dataclass(slots=True)
class WaybillIn:
    external_id: str
    order_external_id: str
    merchant_ref: str
    shipped_on: date
    carrier: str | None = None
    #: declared value on the waybill, if the platform sends one (then it must agree too)
    currency: str | None = None
    amount_minor: int | None = None
    destination_country: str | None = None


@dataclass(slots=True)
class PaymentIn:
    external_id: str
    order_external_id: str
    merchant_ref: str
    currency: str
    amount_minor: int
    paid_on: date
    method: str | None = None


@dataclass(slots=True)
class RefundIn:
    external_id: str
    order_external_id: str
    currency: str
    amount_minor: int
    refunded_on: date | None = None
    kind: str = "refund"
    reason: str | None = None


RECORD_TYPES = {"orders": OrderIn, "waybills": WaybillIn, "payments": PaymentIn, "refunds": RefundIn}
#: the fields a held (rejected) record keeps, by kind
HELD_FIELDS = {kind: frozenset(f.name for f in dataclasses.fields(cls)) | {"amount", "amount_minor"} for kind, cls in RECORD_TYPES.items()}


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order cited as evidence: the platform and the platform's order id."""

    platform_code: str
    external_id: str


@dataclass(slots=True)
class IngestReport:
    kind: str
    inserted: int = 0
    duplicates: int = 0
    #: (position in the call or file, reason); files list at most MAX_REPORTED_REJECTS
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_total: int = 0
    #: match status of the orders this ingest (re)matched
    match: dict[str, int] = field(default_factory=dict)

    @property
    def processed(self) -> int:
        return self.inserted + self.duplicates + self.rejected_total


@dataclass(slots=True)
class RefundResult:
    order_id: UUID
    requested_minor: int
    applied_minor: int
    refunded_minor: int
    effective_value_minor: int
    duplicate: bool


@dataclass(slots=True)
class EvidenceClaim:
    """What a claim on the evidence registry got.  ``used``, ``reused`` and
    ``unmatched`` list the cited ids as given (external id strings, or
    :class:`OrderRef`)."""

    claim_ref: str
    currency: str
    coverage_minor: int
    used: list[tuple[Any, int]] = field(default_factory=list)
    #: already fully consumed, by anyone anywhere: an evidence reuse attempt
    reused: list[Any] = field(default_factory=list)
    #: not found, another merchant's, another currency, not matched, or fully returned
    unmatched: list[Any] = field(default_factory=list)
    reasons: dict[Any, str] = field(default_factory=dict)
    replayed: bool = False



@dataclass(slots=True)
class ClaimRequest:
    """One claim of :func:`~settlement.tradedata.registry.claim_evidence_many`
    (the arguments of :func:`~settlement.tradedata.registry.claim_evidence`)."""

    customer_id: UUID
    platform_code: str | None
    order_external_ids: Sequence[str | OrderRef]
    currency: str
    up_to_minor: int
    purpose: str
    claim_ref: str
