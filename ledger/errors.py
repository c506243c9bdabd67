"""Domain errors of the ledger.

Each error has a stable ``code`` (used as the result code of a batch item and
as the last path segment of the RFC 9457 problem ``type`` in the API), an
HTTP-ish ``status`` hint, and ``details``: the numbers a caller needs.
"""

from __future__ import annotations

from typing import Any

from .units import minor_text, text_minor


class LedgerError(Exception):
    """Base of every refusal the ledger makes.  Nothing was written."""

    code = "ledger_error"
    status = 422
    title = "Ledger error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.details}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LedgerError:
        """Rebuild a stored refusal (used by idempotent replays)."""
        data = dict(data)
        code = data.pop("code", "ledger_error")
        message = data.pop("message", "")
        klass = _REGISTRY.get(code, LedgerError)
        err = klass.__new__(klass)
        LedgerError.__init__(err, message, **data)
        return err

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        _REGISTRY[cls.code] = cls


_REGISTRY: dict[str, type[LedgerError]] = {}


class InvalidInput(LedgerError):
    code = "invalid_input"
    title = "Invalid input"


class UnknownCurrency(InvalidInput):
    code = "unknown_currency"
    title = "Unknown currency"

    def __init__(self, currency: object) -> None:
        super().__init__(f"unknown or unusable currency code {currency!r}", currency=str(currency))


class InvalidAmount(InvalidInput):
    code = "invalid_amount"
    title = "Invalid amount"

    def __init__(self, amount: str, reason: str) -> None:
        super().__init__(f"invalid amount {amount!r}: {reason}", amount=amount, reason=reason)


class AmountOutOfRange(InvalidInput):
    """An amount, or the balance or total it would make, beyond what the
    ledger stores (see ``ledger.money.MAX_AMOUNT_MINOR``)."""

    code = "amount_out_of_range"
    title = "Amount out of range"


class UnbalancedTransaction(LedgerError):
    code = "unbalanced_transaction"
    title = "Unbalanced transaction"

    def __init__(self, currency: str, difference: int) -> None:
        text = minor_text(difference, currency)
        super().__init__(
            f"postings in {currency} do not sum to zero (debits - credits = {text} {currency})",
            currency=currency,
            difference=text,
        )


class TooFewPostings(InvalidInput):
    code = "too_few_postings"
    title = "Too few postings"

    def __init__(self, count: int) -> None:
        super().__init__(f"a transaction needs at least two postings, got {count}", count=count)


class BatchTooLarge(InvalidInput):
    code = "batch_too_large"
    title = "Batch too large"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"batch of {size} transactions exceeds the limit of {limit}", size=size, limit=limit)


class NotFound(LedgerError):
    code = "not_found"
    status = 404
    title = "Not found"

    def __init__(self, kind: str, ref: object) -> None:
        super().__init__(f"{kind} {ref} not found", kind=kind, ref=str(ref))


class AccountNotFound(NotFound):
    code = "account_not_found"
    title = "Account not found"

    def __init__(self, ref: object) -> None:
        super().__init__("account", ref)


class LedgerNotFound(NotFound):
    code = "ledger_not_found"
    title = "Ledger not found"

    def __init__(self, ref: object) -> None:
        super().__init__("ledger", ref)


class TransactionNotFound(NotFound):
    code = "transaction_not_found"
    title = "Transaction not found"

    def __init__(self, ref: object) -> None:
        super().__init__("transaction", ref)


class Conflict(LedgerError):
    code = "conflict"
    status = 409
    title = "Conflict"


class DuplicateCode(Conflict):
    code = "duplicate_code"
    title = "Code already used"

    def __init__(self, kind: str, code_value: str) -> None:
        super().__init__(f"{kind} code {code_value!r} is already used", kind=kind, value=code_value)


class CurrencyMismatch(LedgerError):
    code = "currency_mismatch"
    title = "Currency mismatch"

    def __init__(self, account: str, account_currency: str, posting_currency: str) -> None:
        super().__init__(
            f"account {account} holds {account_currency}, posting is in {posting_currency}",
            account=account,
            account_currency=account_currency,
            posting_currency=posting_currency,
        )


class LedgerMismatch(LedgerError):
    code = "ledger_mismatch"
    title = "Account in another ledger"

    def __init__(self, account: str, ledger: str) -> None:
        super().__init__(f"account {account} does not belong to ledger {ledger}", account=account, ledger=ledger)


class AccountClosed(LedgerError):
    code = "account_closed"
    title = "Account closed"

    def __init__(self, account: str) -> None:
        super().__init__(f"account {account} is closed", account=account)


class _AvailableRequested:
    """Mixin of a refusal naming what an account has ``available`` and what was
    ``requested``: in the details as decimal strings of ``currency`` (the
    API's money shape); in minor units through :attr:`available_minor` and
    :attr:`requested_minor`."""

    details: dict[str, Any]

    @property
    def available_minor(self) -> int:
        return text_minor(self.details.get("available", 0), str(self.details.get("currency", "")))

    @property
    def requested_minor(self) -> int:
        return text_minor(self.details.get("requested", 0), str(self.details.get("currency", "")))


class InsufficientFunds(_AvailableRequested, LedgerError):
    """A debit would take an account with ``debits_must_not_exceed_credits``
    below zero.  ``available`` and ``requested`` are given in minor units and
    reported as decimal strings of ``currency``."""

    code = "insufficient_funds"
    title = "Insufficient funds"

    def __init__(self, account: str, available: int, requested: int, currency: str = "") -> None:
        a, r = minor_text(available, currency), minor_text(requested, currency)
        super().__init__(
            f"account {account} has {a} {currency} available, {r} {currency} requested".replace("  ", " "),
            account=account,
            available=a,
            requested=r,
            currency=currency,
        )


class CreditLimitExceeded(_AvailableRequested, LedgerError):
    """A credit would exceed debits on an account with
    ``credits_must_not_exceed_debits``."""

    code = "credits_exceed_debits"
    title = "Credits would exceed debits"

    def __init__(self, account: str, available: int, requested: int, currency: str = "") -> None:
        a, r = minor_text(available, currency), minor_text(requested, currency)
        super().__init__(
            f"account {account} accepts at most {a} {currency} more credit, {r} {currency} requested".replace("  ", " "),
            account=account,
            available=a,
            requested=r,
            currency=currency,
        )


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"
    status = 422
    title = "Idempotency key reused with different content"

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was used for a different request", idempotency_key=key)


class AlreadyReversed(Conflict):
    code = "already_reversed"
    title = "Transaction already reversed"

    def __init__(self, transaction: str, reversal: str | None = None) -> None:
        super().__init__(f"transaction {transaction} was already reversed", transaction=transaction, reversal=reversal)


class NotReversible(LedgerError):
    code = "not_reversible"
    title = "Transaction cannot be reversed"

    def __init__(self, transaction: str, reason: str) -> None:
        super().__init__(f"transaction {transaction} cannot be reversed: {reason}", transaction=transaction, reason=reason)


class PendingNotOpen(Conflict):
    code = "pending_not_open"
    title = "Pending transaction already resolved"

    def __init__(self, transaction: str, state: str) -> None:
        super().__init__(f"pending transaction {transaction} is {state}", transaction=transaction, state=state)


class PendingExpired(Conflict):
    code = "pending_expired"
    title = "Pending transaction expired"

    def __init__(self, transaction: str, expired_at: str) -> None:
        super().__init__(f"pending transaction {transaction} expired at {expired_at}", transaction=transaction, expired_at=expired_at)


class NotPending(LedgerError):
    code = "not_pending"
    title = "Not a pending transaction"

    def __init__(self, transaction: str) -> None:
        super().__init__(f"transaction {transaction} is not a pending transaction", transaction=transaction)


class ExpiryWithoutPending(LedgerError):
    """``expires_at`` on a transaction that is not pending: only a hold can expire."""

    code = "expiry_without_pending"
    title = "Only pending transactions can expire"

    def __init__(self) -> None:
        super().__init__("only pending transactions can expire: expires_at needs pending=true")


class PostingNotHeld(LedgerError):
    """A partial post names an account and side the pending transaction does not hold."""

    code = "posting_not_held"
    title = "Posting not held by the pending transaction"

    def __init__(self, transaction: str, account: str, side: str) -> None:
        super().__init__(f"account {account} has no held {side} in pending transaction {transaction}", transaction=transaction, account=account, side=side)


class ConflictingBalanceLimits(LedgerError):
    """Both ``debits_must_not_exceed_credits`` and
    ``credits_must_not_exceed_debits``: the account could hold nothing."""

    code = "conflicting_balance_limits"
    title = "Both balance limit flags"

    def __init__(self) -> None:
        super().__init__("an account cannot have both balance limit flags (debits_must_not_exceed_credits and credits_must_not_exceed_debits)")


class ExpiryInPast(LedgerError):
    """A pending transaction's ``expires_at`` is already past."""

    code = "expiry_in_past"
    title = "Expiry in the past"


class AmountPrecision(LedgerError):
    """A well-formed amount with more decimals than the currency of the
    object it refers to (a stored advance, loan, ...) has: the currency is
    not in the request, so the schema cannot state the limit."""

    code = "amount_precision"
    title = "More decimals than the currency has"


class PostExceedsPending(LedgerError):
    code = "post_exceeds_pending"
    title = "Posted amount exceeds the pending amount"

    def __init__(self, transaction: str, account: str, pending: int, requested: int, currency: str = "") -> None:
        p, r = minor_text(pending, currency), minor_text(requested, currency)
        super().__init__(
            f"posting {r} {currency} to {account} exceeds the {p} {currency} held by {transaction}".replace("  ", " "),
            transaction=transaction,
            account=account,
            pending=p,
            requested=r,
            currency=currency,
        )


class LinkedTransactionFailed(LedgerError):
    """A transaction of a linked group was not posted because another member
    of the group failed."""

    code = "linked_transaction_failed"
    title = "Linked transaction failed"

    def __init__(self, failed_index: int, failed_code: str) -> None:
        super().__init__(
            f"not posted: linked transaction #{failed_index} failed with {failed_code}",
            failed_index=failed_index,
            failed_code=failed_code,
        )


class AccountHasPending(Conflict):
    code = "account_has_pending"
    title = "Account has pending amounts"

    def __init__(self, account: str) -> None:
        super().__init__(f"account {account} has pending amounts and cannot be closed", account=account)


class DatabaseUnavailable(LedgerError):
    """The database could not be reached or kept failing.  The outcome is
    unknown to the server too (a commit may have been cut off before its
    answer): the problem says so, and that a retry with the same
    Idempotency-Key is safe (it completes the request or replays it)."""

    code = "database_unavailable"
    status = 503
    title = "Database unavailable"

    def __init__(self, message: str, **details: Any) -> None:
        advice = "the request may or may not have been applied; retrying it with the same Idempotency-Key is safe: it completes the request or replays its result"
        super().__init__(f"{message}; {advice}", outcome="unknown", retry_with_same_key=True, **details)
