"""Domain errors of settlement, with the numbers a caller needs."""

from __future__ import annotations

from ledger.errors import Conflict, InvalidInput, LedgerError
from ledger.money import format_minor


class QuotaExceeded(LedgerError):
    """S5: the conversion would exceed the individual's remaining annual
    facilitation quota.  The problem names the amounts as USD decimal
    strings (``"remaining_usd": "6000.00", "currency": "USD"``)."""

    code = "quota_exceeded"
    title = "Annual quota exceeded"

    def __init__(self, direction: str, year: int, remaining_usd: int, requested_usd: int, exempt_usd: int = 0) -> None:
        super().__init__(
            f"{direction} quota {year}: USD {format_minor(remaining_usd, 'USD')} remaining, USD {format_minor(requested_usd, 'USD')} would be used; "
            "attach documentary proof through the review path or present trade evidence",
            direction=direction,
            year=year,
            currency="USD",
            remaining_usd=format_minor(remaining_usd, "USD"),
            requested_usd=format_minor(requested_usd, "USD"),
            exempt_usd=format_minor(exempt_usd, "USD"),
        )


class ReviewRequired(LedgerError):
    code = "review_required"
    title = "Staff review required"

    def __init__(self, reason: str) -> None:
        super().__init__(f"this conversion must go through the review path: {reason}", reason=reason)


class ReceiptInvalid(InvalidInput):
    code = "receipt_invalid"
    title = "Invalid receipt"


class EvidencePlatformRequired(LedgerError):
    """Evidence orders are named by the platform's order ids: the receipt names the platform."""

    code = "evidence_platform_required"
    title = "Evidence orders need the platform code"


class ForeignCurrencyRequired(LedgerError):
    """A conversion converts a foreign currency: CNY is the other side."""

    code = "foreign_currency_required"
    title = "The foreign currency cannot be CNY"


class ReviewIncomplete(LedgerError):
    """A review names the reviewer and the documentary proof."""

    code = "review_incomplete"
    title = "Review incomplete"


class ReceiptNotReleasable(Conflict):
    code = "receipt_not_releasable"
    title = "Receipt cannot be released"

    def __init__(self, receipt: str, status: str, reason: str) -> None:
        super().__init__(f"receipt {receipt} ({status}) cannot be released: {reason}", receipt=receipt, status=status, reason=reason)


class DuplicateReference(Conflict):
    code = "duplicate_reference"
    title = "Reference already used with other content"

    def __init__(self, ref: str) -> None:
        super().__init__(f"external reference {ref!r} was already used for a different request", external_ref=ref)
