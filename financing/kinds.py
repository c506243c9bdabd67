"""Loan product kinds as strategy objects.

Each kind of financing product is one :class:`ProductKind` subclass with
its per-kind behaviour, registered once in :data:`PRODUCT_KINDS`:

* ``collateral`` -- the registry asset kind that secures its loans;
* ``swept_by_receipts`` -- whether receipts credited to the merchant sweep
  a share to its active loans (the F2 proceeds hook);
* ``minimum_repayment`` -- whether the product's minimum repayment per 30
  days applies;
* :meth:`ProductKind.validate_config` -- rules of the product configuration
  for this kind (none beyond the common ones today);
* :meth:`ProductKind.disbursement_claims` -- the assets disbursement
  encumbers in the one-asset-one-financing registry.

A new kind is one subclass and one entry in :data:`PRODUCT_KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ledger.errors import InvalidInput

from .collateral.common import INSURED_RECEIVABLE, ORDER, WAREHOUSE_RECEIPT
from .collateral.orders import order_claims
from .collateral.registry import AssetClaim


class ProductKind:
    """The behaviour of one kind of financing product (defaults: a loan
    not swept by receipts, without a minimum repayment)."""

    code: ClassVar[str]
    #: the registry asset kind that secures the loans
    collateral: ClassVar[str]
    swept_by_receipts: ClassVar[bool] = False
    minimum_repayment: ClassVar[bool] = False

    def validate_config(self, config: Mapping[str, Any]) -> None:
        """Refuse a product configuration this kind cannot work with
        (raise ``ProductInvalid``); the common rules are checked already."""

    def minimum_repayment_bp(self, configured_bp: int) -> int:
        """The minimum repayment per 30 days (bp of principal) that applies
        to a loan of this kind (0: none)."""
        return configured_bp if self.minimum_repayment else 0

    def disbursement_claims(self, asset_refs: Iterable[str]) -> list[AssetClaim]:
        """The assets disbursement encumbers for the loan: the platform
        orders among the loan's asset references (offered at application)."""
        return order_claims(asset_refs)


class OrderFinancing(ProductKind):
    """F2: an advance on platform orders, repaid by a sweep of the
    merchant's receipts, with an optional minimum repayment per 30 days."""

    code = "order"
    collateral = ORDER
    swept_by_receipts = True
    minimum_repayment = True


class WarehouseReceiptFinancing(ProductKind):
    """F3: a loan against pledged warehouse receipts."""

    code = "warehouse_receipt"
    collateral = WAREHOUSE_RECEIPT


class CreditInsuranceFinancing(ProductKind):
    """F4: a loan against insured receivables, the indemnity assigned to the lender."""

    code = "credit_insurance"
    collateral = INSURED_RECEIVABLE


#: every product kind by code (the order is the API's)
PRODUCT_KINDS: dict[str, ProductKind] = {k.code: k for k in (OrderFinancing(), WarehouseReceiptFinancing(), CreditInsuranceFinancing())}

KINDS: tuple[str, ...] = tuple(PRODUCT_KINDS)

if TYPE_CHECKING:
    KindCode = str
else:
    #: the kind codes as a ``Literal`` (request validation and the OpenAPI enum)
    KindCode = Literal[KINDS]


def product_kind(code: str) -> ProductKind:
    """The strategy of a kind code."""
    try:
        return PRODUCT_KINDS[code]
    except KeyError:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind") from None


def swept_kinds() -> list[str]:
    """The kind codes whose loans receipts sweep."""
    return [code for code, k in PRODUCT_KINDS.items() if k.swept_by_receipts]
