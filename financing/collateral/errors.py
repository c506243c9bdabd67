"""The collateral domain errors (subclasses of ``ledger.errors.LedgerError``:
``api.problems`` renders them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ledger.errors import Conflict, LedgerError, NotFound
from ledger.money import format_minor


class AssetAlreadyFinanced(Conflict):
    """The asset already backs a financing (here or at another institution).
    Deliberately names neither the other lender nor its financing."""

    code = "asset_already_financed"
    title = "Asset already financed"

    def __init__(self, asset_kind: str, asset_ref: str | None = None) -> None:
        what = asset_kind.replace("_", " ")
        super().__init__(
            f"this {what} already backs a financing and cannot back another one until that financing releases it",
            asset_kind=asset_kind,
            asset_ref=asset_ref,
        )


class AssetNotEncumbered(Conflict):
    code = "asset_not_encumbered"
    title = "Asset not encumbered by this financing"

    def __init__(self, asset_kind: str, financing_ref: str) -> None:
        super().__init__(
            f"this {asset_kind.replace('_', ' ')} is not encumbered by financing {financing_ref!r} of this institution",
            asset_kind=asset_kind,
            financing_ref=financing_ref,
        )


class CollateralNotFound(NotFound):
    code = "collateral_not_found"
    title = "Collateral not found"


class CollateralStateConflict(Conflict):
    code = "collateral_state_conflict"
    title = "Collateral in another state"

    def __init__(self, kind: str, ref: object, state: str, expected: Sequence[str]) -> None:
        super().__init__(
            f"{kind} {ref} is {state}; expected {' or '.join(expected)}", kind=kind, ref=str(ref), state=state, expected=list(expected)
        )


class InitialLtvExceeded(LedgerError):
    code = "initial_ltv_exceeded"
    title = "Initial loan-to-value exceeded"

    def __init__(self, loan_minor: int, valuation_minor: int, ltv: Decimal, max_ltv: Decimal, max_loan_minor: int, currency: str) -> None:
        loan, valuation, max_loan = (format_minor(v, currency) for v in (loan_minor, valuation_minor, max_loan_minor))
        super().__init__(
            f"a loan of {loan} {currency} against a valuation of {valuation} {currency} is an LTV of {ltv}, above the maximum {max_ltv} (at most {max_loan} {currency})",
            loan=loan,
            valuation=valuation,
            ltv=str(ltv),
            max_ltv=str(max_ltv),
            max_loan=max_loan,
            currency=currency,
        )


class LiquidationNotAllowed(Conflict):
    code = "liquidation_not_allowed"
    title = "Liquidation not allowed"

    def __init__(self, pledge_id: object, ltv: Decimal, liquidation_ltv: Decimal) -> None:
        super().__init__(
            f"pledge {pledge_id} has an LTV of {ltv}, not above {liquidation_ltv}, and no overdue margin call",
            pledge=str(pledge_id),
            ltv=str(ltv),
            liquidation_ltv=str(liquidation_ltv),
        )


class NoCollateralPrice(LedgerError):
    code = "no_collateral_price"
    title = "No price for the goods"

    def __init__(self, goods_type: str, currency: str, as_of: date) -> None:
        super().__init__(
            f"no {currency} price of {goods_type} on or before {as_of.isoformat()}", goods_type=goods_type, currency=currency, as_of=as_of.isoformat()
        )


class CollateralInsufficient(LedgerError):
    """A warehouse-receipt or credit-insurance loan cannot be disbursed: its
    collateral does not cover it at the product's initial LTV / advance rate."""

    code = "collateral_insufficient"
    title = "Collateral does not cover the loan"

    def __init__(self, loan_id: object, kind: str, loan_minor: int, collateral_minor: int, rate: Decimal, max_loan_minor: int, currency: str) -> None:
        what = "initial LTV" if kind == "warehouse_receipt" else "advance rate"
        amount, collateral, max_loan = (format_minor(v, currency) for v in (loan_minor, collateral_minor, max_loan_minor))
        super().__init__(
            f"loan {loan_id} of {amount} {currency} needs collateral: the collateral pledged to it is worth {collateral} {currency}, "
            f"at the {what} {rate} it secures at most {max_loan} {currency}",
            loan=str(loan_id), kind=kind, amount=amount, collateral=collateral, rate=str(rate), max_loan=max_loan, currency=currency,
        )


class LoanNotOpenForCollateral(Conflict):
    code = "loan_not_open_for_collateral"
    title = "The loan cannot take this collateral"


class PolicyExpired(LedgerError):
    """No new advance on an expired credit-insurance policy: its cover ends
    on ``valid_until`` (inclusive)."""

    code = "policy_expired"
    title = "Credit-insurance policy expired"

    def __init__(self, policy_id: object, policy_number: str, valid_until: date, on: date) -> None:
        super().__init__(
            f"credit-insurance policy {policy_number} expired on {valid_until.isoformat()} (its cover ends that day): "
            f"no new advance on it on {on.isoformat()}",
            policy=str(policy_id), policy_number=policy_number, valid_until=valid_until.isoformat(), value_date=on.isoformat(),
        )


class CollateralOfAnotherCustomer(LedgerError):
    """A receipt offered for a loan belongs to another merchant of the
    institution."""

    code = "collateral_of_another_customer"
    title = "Collateral of another customer"

    def __init__(self, kind: str, ref: object) -> None:
        super().__init__(f"{kind} {ref} belongs to another customer than the loan's", kind=kind, ref=str(ref))


class MarginCallNotCured(LedgerError):
    """The receipts offered to cure a margin call do not bring the loan's
    LTV back within the limit: nothing is pledged, the call stays open."""

    code = "margin_call_not_cured"
    title = "Margin call not cured"

    def __init__(self, call_id: object, outstanding_minor: int, value_minor: int, ltv: Decimal, limit: Decimal, missing_minor: int, currency: str) -> None:
        out, value, missing = (format_minor(v, currency) for v in (outstanding_minor, value_minor, missing_minor))
        super().__init__(
            f"with these receipts the collateral of margin call {call_id} is worth {value} {currency} after haircut against {out} {currency} outstanding: "
            f"an LTV of {ltv}, above the limit {limit}; add collateral worth at least {missing} {currency} more after haircut",
            margin_call=str(call_id), outstanding=out, collateral=value, ltv=str(ltv), limit=str(limit), missing_collateral=missing, currency=currency,
        )
