"""The event catalogue: every event type the engine emits, what it means and
the shape of its ``data``.

One registry for the OpenAPI ``webhooks`` section (``api.openapi``), the
README's webhook section and the typed client.  ``tests/api/test_openapi.py``
reads the emitters' source (``emit_event`` / ``emit_events`` calls in
``ledger``, ``settlement``, ``financing``, ``recon`` and ``api``) and fails
when an emitted type is missing here, or when a type here is emitted nowhere.

Every delivery is a Standard Webhooks message (``webhook-id``,
``webhook-timestamp``, ``webhook-signature`` headers) whose JSON body is the
:class:`EventEnvelope`: ``id``, ``type``, ``created_at``, ``institution_id``
and ``data``.  Money in ``data`` follows the API's one convention: a decimal
string in major units with exactly the currency's exponent (USD ``"1234.50"``,
JPY ``"915000"``), its currency the ``currency`` member of the same object;
no ``*_minor`` integers.  Payload models allow additional members: a consumer
must ignore members it does not know (new members are not a breaking change).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# -- building blocks ---------------------------------------------------------------


class EventData(BaseModel):
    """Base of every payload: unknown members are allowed (forward compatible)."""

    model_config = ConfigDict(extra="allow")


def _amount(default: Any = ...) -> Any:
    return Field(default, description="decimal string in major units with exactly the currency's exponent", examples=["1234.50"], pattern=r"^-?[0-9]+(\.[0-9]+)?$")


class Transition(EventData):
    from_: str | None = Field(default=None, alias="from", description="the status before")
    to: str | None = Field(default=None, description="the status after")


# -- ledger ----------------------------------------------------------------------------


class TransactionPosted(EventData):
    transaction_id: str = Field(description="the ledger transaction")
    action: str = Field(description="post, post_batch, post_pending, void or reverse")


# -- settlement -----------------------------------------------------------------------


class ReceiptEvent(EventData):
    receipt_id: str
    customer_id: str | None = None
    currency: str
    gross: str = _amount()
    net: str = _amount()
    status: str = Field(description="credited, pending_verification or suspense")
    suspense_reason: str | None = None


class ReceiptReleased(Transition):
    receipt_id: str


class PaymentEvent(EventData):
    payment_id: str
    customer_id: str
    currency: str
    amount: str = _amount()
    status: str = Field(description="paid or held")
    hold_reason: str | None = None


class PaymentReleased(Transition):
    payment_id: str


class ConversionPosted(EventData):
    conversion_id: str
    direction: str = Field(description="to_cny (结汇) or from_cny (购汇)")
    currency: str = Field(description="the foreign currency")
    amount: str = _amount()
    cny: dict[str, str] = Field(description='the CNY side as a Money object {"amount": "...", "currency": "CNY"}')


class CustomerOpened(EventData):
    customer_id: str
    ref: str
    kind: str


class CustomerChanged(EventData):
    """The changed attributes of the customer, by name, with their new values."""

    customer_id: str
    ref: str


class AdvanceEvent(EventData):
    """An advance of overseas fees (S4), as the advances API renders it."""

    id: str | None = None
    currency: str | None = None
    amount: str | None = _amount(None)


class AdvanceSettled(EventData):
    source: str | None = Field(default=None, description="proceeds, cash or ...")
    currency: str | None = None
    transaction_id: str | None = None
    allocations: list[dict[str, Any]] | None = None


class NettingClosed(EventData):
    id: str | None = None
    effective_date: str | None = None
    currencies: dict[str, dict[str, Any]] | None = Field(default=None, description="per currency: participants, instructions, netted and gross amounts (decimal strings)")


class RiskAlertRaised(EventData):
    alert_id: str
    kind: str
    subject_type: str | None = None
    subject_id: str | None = None


class TradeDataIngested(EventData):
    kind: str = Field(description="orders, waybills, payments or refunds")
    platform_code: str | None = None
    inserted: int
    duplicates: int
    rejected: int


# -- financing ----------------------------------------------------------------------


class LoanTransition(Transition):
    loan_id: str


class LoanApplied(EventData):
    loan_id: str
    customer_id: str
    currency: str
    requested: str = _amount()


class LoanDisbursed(EventData):
    loan_id: str
    currency: str | None = None
    amount: str = _amount()
    fee: str | None = _amount(None)
    due_date: str


class LoanAccrued(EventData):
    loan_id: str
    from_: str = Field(alias="from")
    through: str
    interest: str | None = _amount(None)
    penalty: str | None = _amount(None)


class LoanMinimumMissed(EventData):
    loan_id: str
    period: int | str | None = None
    start: str | None = None
    end: str | None = None


class LoanBucketChanged(Transition):
    loan_id: str
    dpd: int
    npl: bool


class LoanRepayment(EventData):
    loan_id: str
    source: str | None = None
    amount: str = _amount()
    allocation: dict[str, Any] | None = Field(default=None, description="component -> decimal string")


class LoanWrittenOff(EventData):
    loan_id: str
    amount: str = _amount()
    components: dict[str, Any] | None = None
    dpd: int | None = None
    bucket: str | None = None


class UnderwritingDecided(EventData):
    decision_id: str
    customer_id: str
    decision: str
    score: int | float | str | None = None
    reasons: list[str] = Field(default_factory=list)
    currency: str | None = None
    model_version: str | None = None
    as_of: str | None = None


class CollateralPledged(EventData):
    pledge_id: str
    receipt_id: str
    financing_ref: str | None = None
    ltv: str = Field(description="loan-to-value ratio, a decimal string")


class MarginCallOpened(EventData):
    pledge_id: str
    id: str
    opened_on: str
    cure_by: str
    ltv: str
    status: str


class PledgeLiquidated(EventData):
    pledge_id: str
    ltv: str


class ClaimPaid(EventData):
    claim_id: str
    receivable_id: str
    currency: str
    paid: str = _amount()
    financing_ref: str | None = None


class MarginCallCured(EventData):
    pledge_id: str
    id: str = Field(description="the margin call")
    loan_id: str | None = None
    currency: str
    ltv: str = Field(description="the loan's LTV after the added collateral, a decimal string")
    target_ltv: str
    valuation: str = _amount()
    outstanding: str = _amount()
    added_pledges: list[str] = Field(default_factory=list, description="the pledges of the receipts added")
    cured_by: str
    cured_on: str


class PolicyExpiredAdvance(EventData):
    notice_id: str
    loan_id: str
    customer_id: str
    currency: str
    principal_outstanding: str = _amount()
    policy_id: str
    policy_number: str
    valid_until: str = Field(description="the last day of cover (ISO date)")
    receivable_id: str


# -- SME notifications (#17): also listed in GET /v1/sme/notifications -----------------


class SmeNotice(EventData):
    notice_id: str = Field(description="the notification (as listed for the SME user)")
    customer_id: str = Field(description="the merchant told")
    loan_id: str | None = None


class SmeOfferReady(SmeNotice):
    currency: str
    principal: str = _amount()
    total_repayable: str = _amount()
    annual_percentage_rate: str | None = None
    first_due_date: str | None = None


class SmePaymentDue(SmeNotice):
    currency: str
    instalment: int
    due_date: str
    amount: str | None = _amount(None)


class SmeOverdue(SmeNotice):
    currency: str
    days_past_due: int
    bucket: str | None = None
    as_of: str
    owed: str = _amount()


class SmeMarginCall(SmeNotice):
    margin_call: dict[str, Any] = Field(description="the margin call as in `collateral.margin_call_opened` (shortfall, collateral, cure_by)")


# -- reconciliation -----------------------------------------------------------------


class ReconMatchingRun(EventData):
    run_id: str
    recon_account_id: str
    counts: dict[str, int]


class ReconProposalCreated(EventData):
    proposal_id: str
    kind: str


class ReconProposalApproved(EventData):
    proposal_id: str
    kind: str
    transaction_id: str | None = None


class ReconStatementImported(EventData):
    statements: list[dict[str, Any]]
    sha256: str | None = None


# -- the catalogue ------------------------------------------------------------------


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    data: type[BaseModel]

    @property
    def type(self) -> str:
        return self.name


def _e(type_: str, description: str, data: type[BaseModel]) -> EventType:
    return EventType(type_, description, data)


CATALOGUE: tuple[EventType, ...] = (
    _e("transaction.posted", "A ledger transaction was posted, a pending one posted or voided, or a transaction reversed.", TransactionPosted),
    _e("receipt.credited", "An inbound cross-border receipt was credited to the customer's current-account FX account (class A, S1).", ReceiptEvent),
    _e("receipt.pending_verification", "A receipt was booked to the pending-verification account (class B/C, S1).", ReceiptEvent),
    _e("receipt.suspended", "A receipt could not be routed and landed in suspense, with a reason.", ReceiptEvent),
    _e("receipt.released", "A held receipt was released (verification with evidence).", ReceiptReleased),
    _e("payment.paid", "An outbound payment was paid.", PaymentEvent),
    _e("payment.held", "An outbound payment was held for review, with a reason.", PaymentEvent),
    _e("payment.released", "A held payment was released.", PaymentReleased),
    _e("conversion.posted", "A currency conversion (结汇 / 购汇) was posted.", ConversionPosted),
    _e("customer.opened", "A customer (merchant or individual) was opened.", CustomerOpened),
    _e("customer.fx_class_changed", "A customer's FX management class (A/B/C) changed.", CustomerChanged),
    _e("customer.registered", "A customer's directory registration (名录登记) was recorded.", CustomerChanged),
    _e("customer.negative_list_changed", "A customer was put on or taken off the negative list.", CustomerChanged),
    _e("customer.due_diligence_recorded", "Customer due diligence was recorded.", CustomerChanged),
    _e("customer.currency_added", "A currency account was added to a customer.", CustomerChanged),
    _e("advance.recorded", "An advance of overseas fees by a service provider was recorded (S4).", AdvanceEvent),
    _e("advance.settled", "Advances were settled (in cash, or netted from proceeds).", AdvanceSettled),
    _e("advance.flagged", "An advance has been outstanding longer than the limit (12 months by default).", AdvanceEvent),
    _e("netting.closed", "A netting cycle was closed and its settlement posted.", NettingClosed),
    _e("risk_alert.raised", "A risk alert was raised (authenticity, quota, overdue advance...).", RiskAlertRaised),
    _e("trade_data.ingested", "A chunk of platform trade data was ingested (counts, not records).", TradeDataIngested),
    _e("loan.applied", "A financing application was filed.", LoanApplied),
    _e("loan.approved", "A loan application was approved.", LoanTransition),
    _e("loan.declined", "A loan application was declined.", LoanTransition),
    _e("loan.offered", "A loan offer was made.", LoanTransition),
    _e("loan.accepted", "A loan offer was accepted.", LoanTransition),
    _e("loan.offer_declined", "The customer declined a loan offer.", LoanTransition),
    _e("loan.disbursed", "A loan was disbursed.", LoanDisbursed),
    _e("loan.accrued", "Interest (and penalty interest) accrued on a loan.", LoanAccrued),
    _e("loan.minimum_repayment_missed", "A loan's minimum repayment for a period was missed.", LoanMinimumMissed),
    _e("loan.bucket_changed", "A loan's days-past-due bucket changed.", LoanBucketChanged),
    _e("loan.repayment", "A repayment was allocated to a loan.", LoanRepayment),
    _e("loan.repaid", "A loan was repaid in full.", LoanRepayment),
    _e("loan.written_off", "A loan was written off.", LoanWrittenOff),
    _e("underwriting.decided", "An underwriting decision was made.", UnderwritingDecided),
    _e("collateral.receipt_pledged", "A warehouse receipt was pledged as collateral.", CollateralPledged),
    _e("collateral.margin_call_opened", "A margin call was opened on a pledge.", MarginCallOpened),
    _e("collateral.pledge_liquidated", "A pledge was liquidated.", PledgeLiquidated),
    _e("collateral.claim_paid", "An export credit insurance claim was paid.", ClaimPaid),
    _e("collateral.margin_call_cured", "A margin call was cured by pledging additional warehouse receipts.", MarginCallCured),
    _e("policy.expired_advance", "An active loan is financed under a credit-insurance policy that expired (once per loan and policy).", PolicyExpiredAdvance),
    _e("sme.offer_ready", "SME notification: a loan offer is ready to accept.", SmeOfferReady),
    _e("sme.payment_due", "SME notification: an instalment falls due in 3 days (once per instalment).", SmePaymentDue),
    _e("sme.overdue", "SME notification: a loan fell overdue.", SmeOverdue),
    _e("sme.margin_call", "SME notification: a margin call was opened on the merchant's pledged goods.", SmeMarginCall),
    _e("recon.statement_imported", "Bank statements were imported.", ReconStatementImported),
    _e("recon.matching_run", "A reconciliation matching run finished.", ReconMatchingRun),
    _e("recon.proposal_created", "A reconciliation proposal was created.", ReconProposalCreated),
    _e("recon.proposal_approved", "A reconciliation proposal was approved (and posted).", ReconProposalApproved),
)

BY_TYPE: dict[str, EventType] = {e.type: e for e in CATALOGUE}


class EventEnvelope(BaseModel):
    """The JSON body of every webhook delivery (and of ``GET /v1/events/{event_id}``)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0196a3c2-7b1e-7c4a-9d0e-5f1a2b3c4d5e", "type": "transaction.posted", "created_at": "2026-01-31T08:00:00Z",
        "institution_id": "0196a3c2-0000-7000-8000-000000000001", "data": {"transaction_id": "0196a3c2-7b1e-7c4a-9d0e-000000000002", "action": "post"},
    }]})

    id: str = Field(description="the event id; also the `webhook-id` header: deduplicate on it")
    type: str = Field(description="the event type (see the webhooks of this document)")
    created_at: str = Field(description="when the change was committed (RFC 3339, UTC)")
    institution_id: str
    data: dict[str, Any]


def schema_name(event_type: str) -> str:
    """The component name of an event type's envelope: ``receipt.credited`` -> ``ReceiptCreditedEvent``."""
    return "".join(part.capitalize() for part in event_type.replace(".", "_").split("_")) + "Event"
