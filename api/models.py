"""Request and response schemas of the HTTP API (pydantic v2).

Money crosses the API as decimal strings in major units with exactly the
currency's ISO 4217 exponent (USD ``"1234.50"``, JPY ``"915000"``, KWD
``"1.234"``), never as floats or integer minor units.  An amount's currency
is the ``currency`` field of the same JSON object; an amount in another
currency is a :class:`Money` object ``{"amount": "...", "currency": "..."}``.
In requests, more decimals than the currency has (``"10.000"`` USD,
``"100.0"`` JPY), a sign, an exponent, zero, or more than the largest amount
(``ledger.money.MAX_AMOUNT_MINOR``) is a 422 problem naming the field.

Request models inherit :class:`Strict` (unknown fields refused) and use the
strict field types of :mod:`api.fields`; each carries an example the server
accepts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ledger.chain import canonical_json

from .auth import USERNAME_PATTERN
from .fields import IsoDate, IsoDateTime, StrictBool, StrictInt
from .problems import Problem, explain_pattern
from .scopes import SCOPES

#: a positive amount: a non-zero digit somewhere ("0", "0.00" are refused by the schema)
POSITIVE_AMOUNT_PATTERN = (
    r"^(?:[0-9]*[1-9][0-9]*(?:\.[0-9]{1,6})?"
    r"|0+\.(?:[1-9][0-9]{0,5}|0[1-9][0-9]{0,4}|00[1-9][0-9]{0,3}|000[1-9][0-9]{0,2}|0000[1-9][0-9]?|00000[1-9]))$"
)
Amount = Annotated[
    str,
    Field(
        pattern=explain_pattern(POSITIVE_AMOUNT_PATTERN, 'a positive decimal amount such as "1234.56": digits and a point, no sign, no exponent, not zero'),
        max_length=25,
        description=(
            "Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals as the currency has "
            "(USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD / 999999999999999 JPY per posting"
        ),
        examples=["1234.56"],
    ),
]
#: an amount that may be zero (a fee, a limit that stops new business)
AmountOrZero = Annotated[
    str,
    Field(
        pattern=explain_pattern(r"^[0-9]{1,18}(\.[0-9]{1,6})?$", 'a decimal amount, zero or more, such as "0.00" or "1234.56": digits and a point, no sign, no exponent'),
        description=(
            "Decimal amount in major units, zero or positive, as a string: no sign or exponent, at most as many decimals as the currency has "
            "(USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused)"
        ),
        examples=["0.00", "1234.56"],
    ),
]
#: an amount in a response: a decimal string in major units with exactly the
#: currency's decimals (no length limit: totals over many accounts are longer)
DecimalAmount = Annotated[
    str,
    Field(
        pattern=explain_pattern(r"^[0-9]+(\.[0-9]+)?$", 'a decimal amount such as "1234.50": digits and a point, no sign'),
        description="Decimal amount in major units with the currency's decimals", examples=["1234.50"],
    ),
]
SignedAmount = Annotated[
    str,
    Field(
        pattern=explain_pattern(r"^-?[0-9]+(\.[0-9]+)?$", 'a decimal amount such as "-1234.56": an optional minus, digits and a point'),
        description="Decimal amount in major units (may be negative)", examples=["-1234.56"],
    ),
]
CurrencyCode = Annotated[str, Field(pattern=explain_pattern(r"^[A-Z]{3}$", 'a three-letter ISO 4217 currency code in capitals, such as "USD"'), description="ISO 4217 alphabetic code", examples=["USD"])]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$", examples=["merchant-123-usd"])]


def _small_json(value: dict[str, Any]) -> dict[str, Any]:
    if len(canonical_json(value)) > 8192:
        raise ValueError("metadata is limited to 8 KiB of JSON")
    return value


Metadata = Annotated[dict[str, Any], AfterValidator(_small_json), Field(description="Free JSON object (at most 8 KiB)", examples=[{"merchant_id": "m-123"}])]


def _utc(value: datetime) -> datetime:
    # SQLite gives naive datetimes back; they are UTC, and the API documents RFC 3339 date-times with an offset
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


#: an instant in responses: always with a UTC offset
Timestamp = Annotated[datetime, AfterValidator(_utc)]


def integral(data: Any) -> Any:
    """``data`` with every integral float (in nested arrays and objects too) as an int."""
    if isinstance(data, float):
        return int(data) if data.is_integer() else data
    if isinstance(data, dict):
        return {k: integral(v) for k, v in data.items()}
    if isinstance(data, list):
        return [integral(v) for v in data]
    return data


def _holds_int(tp: Any) -> bool:
    """Whether annotation ``tp`` holds an integer anywhere (``int | None``,
    ``list[tuple[str, int]]``, ``dict[str, int]``); free JSON (``Any``) does not."""
    if tp is int:
        return True
    return any(_holds_int(a) for a in get_args(tp) if a is not Ellipsis and not isinstance(a, (str, int)))


@cache
def _int_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names (and aliases) of the fields of ``model`` that hold integers."""
    out = set()
    for name, f in model.model_fields.items():
        if _holds_int(f.annotation):
            out.update({name, f.alias or name})
    return frozenset(out)


class Strict(BaseModel):
    """A request model: unknown fields are refused, and an integral JSON
    number (``7.0``) where an integer is meant is the integer it is (JSON
    Schema's ``integer``); ``7.5``, ``"7"`` and ``true`` stay refused.  Free
    JSON (metadata) is left as sent."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _integral_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        ints = _int_fields(cls)
        if not ints:
            return data
        return {k: integral(v) if k in ints else v for k, v in data.items()}


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    """The config of a request model: unknown fields refused, with examples."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


_ACCOUNT_A = "0190f5a2-7c1e-7b3a-9d2e-1f2a3b4c5d6e"
_ACCOUNT_B = "0190f5a2-7c1e-7b3a-9d2e-1f2a3b4c5d6f"


class LedgerIn(Strict):
    model_config = _examples({"code": "main", "name": "Main ledger"})

    code: Code
    name: str = Field(default="", max_length=200)


class LedgerOut(BaseModel):
    id: UUID
    code: str
    name: str
    created_at: Timestamp
    chain_seq: int = Field(description="number of transactions recorded")
    chain_head: str = Field(description="SHA-256 hash of the last transaction")


class AccountIn(Strict):
    model_config = _examples(
        {"code": "merchant-123-usd", "currency": "USD", "type": "liability", "name": "Merchant 123 USD", "owner_ref": "m-123", "metadata": {"merchant_id": "m-123"}, "debits_must_not_exceed_credits": True},
        {"code": "bank-usd", "currency": "USD", "type": "asset"},
    )

    code: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$", examples=["merchant-123-usd"])]
    currency: CurrencyCode
    type: Literal["asset", "liability", "equity", "income", "expense"]
    name: str = Field(default="", max_length=200)
    owner_ref: str | None = Field(default=None, max_length=128)
    metadata: Metadata = Field(default_factory=dict)
    debits_must_not_exceed_credits: StrictBool = Field(default=False, description="refuse a debit that would take the balance below zero")
    credits_must_not_exceed_debits: StrictBool = Field(default=False, description="refuse a credit that would take the balance above zero")


class Money(BaseModel):
    """An amount with its currency (used where the amount's currency is not the object's ``currency``)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"amount": "1234.50", "currency": "USD"}]})

    amount: SignedAmount
    currency: CurrencyCode


class AccountOut(BaseModel):
    id: UUID
    ledger_id: UUID
    code: str
    name: str
    currency: str
    type: str
    owner_ref: str | None
    metadata: dict[str, Any]
    debits_must_not_exceed_credits: bool
    credits_must_not_exceed_debits: bool
    closed: bool
    posted: SignedAmount = Field(description="posted balance on the account's normal side")
    available: SignedAmount = Field(description="posted less pending amounts leaving the account")
    debits_posted: DecimalAmount
    credits_posted: DecimalAmount
    debits_pending: DecimalAmount
    credits_pending: DecimalAmount
    created_at: Timestamp


class BalanceOut(BaseModel):
    account_id: UUID
    currency: str
    posted: SignedAmount
    available: SignedAmount | None = None
    pending_debits: DecimalAmount | None = None
    pending_credits: DecimalAmount | None = None
    as_of: Timestamp | None = None
    as_of_date: date | None = None


class PostingIn(Strict):
    model_config = _examples({"account_id": _ACCOUNT_A, "side": "debit", "amount": "1234.50", "currency": "USD"})

    account_id: UUID
    side: Literal["debit", "credit"]
    amount: Amount
    currency: CurrencyCode


_TRANSFER = [
    {"account_id": _ACCOUNT_A, "side": "debit", "amount": "1234.50", "currency": "USD"},
    {"account_id": _ACCOUNT_B, "side": "credit", "amount": "1234.50", "currency": "USD"},
]


class TransactionIn(Strict):
    model_config = _examples(
        {"postings": _TRANSFER, "effective_date": "2026-12-02", "description": "payout to merchant 123", "metadata": {"order": "SO-1"}},
        {"postings": _TRANSFER, "pending": True, "expires_at": "2026-12-09T10:00:00Z", "description": "hold for a payout"},
    )

    postings: list[PostingIn] = Field(min_length=2, max_length=200)
    effective_date: IsoDate | None = Field(default=None, description="value date (YYYY-MM-DD); default: today in the institution's business time zone")
    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)
    pending: StrictBool = Field(default=False, description="hold the amounts (two-phase transfer) until posted or voided")
    expires_at: IsoDateTime | None = Field(default=None, description="a pending transaction voids itself after this instant (RFC 3339 with offset)")


class BatchItemIn(TransactionIn):
    model_config = _examples({"postings": _TRANSFER, "idempotency_key": "payout-123-1", "linked": False})

    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200, description="per-transaction key; default: '<Idempotency-Key>:<index>'")
    linked: StrictBool = Field(default=False, description="link to the next item: the chain posts all-or-nothing")


class BatchIn(Strict):
    model_config = _examples({"transactions": [{"postings": _TRANSFER, "description": "payout 1"}, {"postings": _TRANSFER, "description": "payout 2"}]})

    transactions: list[BatchItemIn] = Field(min_length=1, max_length=8000)


class PostPendingIn(Strict):
    model_config = _examples({}, {"postings": [{**_TRANSFER[0], "amount": "1000.00"}, {**_TRANSFER[1], "amount": "1000.00"}], "description": "partial post"})

    postings: list[PostingIn] | None = Field(default=None, min_length=2, max_length=200, description="amounts to post per leg (partial post); omit to post everything held")
    effective_date: IsoDate | None = Field(default=None, description="value date (YYYY-MM-DD)")
    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)


class VoidIn(Strict):
    model_config = _examples({"description": "order cancelled"})

    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)


class ReverseIn(Strict):
    model_config = _examples({"effective_date": "2026-12-02", "description": "posted in error"})

    effective_date: IsoDate | None = Field(default=None, description="value date (YYYY-MM-DD)")
    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)


class PostingOut(BaseModel):
    line_no: int
    account_id: UUID
    side: Literal["debit", "credit"]
    amount: DecimalAmount
    currency: str
    phase: Literal["posted", "hold", "release"]


class TransactionOut(BaseModel):
    id: UUID
    ledger_id: UUID
    seq: int
    kind: str
    effective_date: date
    recorded_at: Timestamp
    description: str
    metadata: dict[str, Any]
    pending_id: UUID | None
    reverses_id: UUID | None
    expires_at: Timestamp | None
    pending_state: str | None = Field(description="for pending transactions: open, posted, voided or expired")
    reversed_by: UUID | None
    hash: str
    postings: list[PostingOut]


class BatchResultOut(BaseModel):
    index: int
    status: Literal["ok", "error"]
    code: str = Field(description="'ok' or the error code")
    transaction_id: UUID | None = None
    replayed: bool = False
    problem: Problem | None = None


class BatchOut(BaseModel):
    results: list[BatchResultOut]
    posted: int
    failed: int


class StatementLineOut(BaseModel):
    account_id: UUID
    account_version: int = Field(description="the line's position in the account's history")
    transaction_id: UUID
    kind: str
    phase: str
    side: Literal["debit", "credit"]
    amount: DecimalAmount
    currency: str
    balance_after: SignedAmount = Field(description="posted balance after this line, on the account's normal side")
    effective_date: date
    recorded_at: Timestamp
    description: str


class TrialBalanceLineOut(BaseModel):
    account_id: UUID
    code: str
    type: str
    currency: str
    debits: DecimalAmount
    credits: DecimalAmount


class TrialBalanceTotal(BaseModel):
    currency: str
    debits: DecimalAmount
    credits: DecimalAmount
    balanced: bool


class TrialBalanceOut(BaseModel):
    ledger_id: UUID
    as_of_date: date | None
    lines: list[TrialBalanceLineOut]
    totals: list[TrialBalanceTotal]


class AggregateBalanceOut(BaseModel):
    currency: str
    accounts: int
    debits_posted: DecimalAmount
    credits_posted: DecimalAmount
    debits_pending: DecimalAmount
    credits_pending: DecimalAmount


class VerificationOut(BaseModel):
    ledger_id: UUID
    ok: bool
    transactions_checked: int
    head_seq: int
    first_bad_seq: int | None
    first_bad_transaction: UUID | None
    problem: str | None
    checkpoints_checked: int


class CheckpointOut(BaseModel):
    ledger_id: UUID
    seq: int
    head_hash: str
    created_at: Timestamp
    key_id: str
    public_key: str
    signature: str


class LoginIn(Strict):
    model_config = _examples({"institution": "demo-bank", "username": "finance", "password": "correct horse battery"})

    institution: str = Field(max_length=64, description="institution code")
    username: str = Field(max_length=100)
    password: str = Field(max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int
    role: str
    merchant_ref: str | None
    signing_secret: str = Field(
        description="HMAC secret of this session's request signatures (X-Xborder-Timestamp, X-Xborder-Signature), as for API keys: "
        "required on every request when the institution requires signed requests. Shown once, never stored.",
    )


class PasswordChangeIn(Strict):
    model_config = _examples({"current_password": "correct horse battery", "new_password": "a new passphrase nobody guesses"})

    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200, description="at least 12 characters, not the user name or institution code, not a common or easily guessed password")


_SCOPE_NAME = Annotated[str, Field(max_length=32, json_schema_extra={"enum": list(SCOPES)})]
_SCOPES_TEXT = (
    "what the key may do (see the README's scopes table); a scope not in the list is 422 `unknown_scope` naming it. "
    "Absent: a `system` key gets the read-only scopes (every `*:read`); `keys:manage` and `users:manage` are never given "
    "unless listed. A `platform` key always has exactly `tradedata:write` (any other scope is 422 `scope_not_allowed`)."
)


class ApiKeyIn(Strict):
    model_config = _examples(
        {"name": "payouts integration", "role": "system", "scopes": ["ledger:read", "ledger:write", "settlement:read", "settlement:write"]},
        {"name": "shop platform", "role": "platform", "platform_code": "shopx"},
    )

    name: str = Field(default="default", max_length=100)
    role: Literal["system", "platform"] = "system"
    platform_code: str | None = Field(default=None, max_length=64, description="the platform a `platform` key is bound to: required for that role (else 422 `platform_code_required`)")
    scopes: list[_SCOPE_NAME] | None = Field(default=None, max_length=len(SCOPES) * 2, description=_SCOPES_TEXT)


class ApiKeyOut(BaseModel):
    id: UUID
    prefix: str
    name: str
    role: str
    platform_code: str | None
    scopes: list[str] = Field(description="the scopes the key holds (a rotation copies them)")
    created_at: Timestamp
    expires_at: Timestamp | None
    revoked_at: Timestamp | None
    replaced_by: UUID | None
    pending: bool = Field(default=False, description="issued under four eyes and not yet approved: it authenticates as 401 until a second admin approves it")


class ApiKeyIssued(ApiKeyOut):
    key: str = Field(description="the API key; shown only now")
    signing_secret: str = Field(description="HMAC request-signing secret; shown only now")


_CONFIRM_SELF = (
    "true to act on the very key that authenticates this request (it stops working); "
    "without it such a request is refused with 409 `confirm_self_required`"
)


class RotateIn(Strict):
    model_config = _examples({"grace_seconds": 3600}, {"grace_seconds": 0, "confirm_self": True})

    grace_seconds: StrictInt = Field(default=0, ge=0, le=7 * 86400, description="keep the old key valid this long")
    confirm_self: StrictBool = Field(default=False, description=_CONFIRM_SELF + " (needed when rotating the calling key with no grace period)")


class RevokeIn(Strict):
    model_config = _examples({}, {"confirm_self": True})

    confirm_self: StrictBool = Field(default=False, description=_CONFIRM_SELF)


class UserIn(Strict):
    model_config = _examples({"username": "li.wei", "password": "a long passphrase", "role": "finance"}, {"username": "shop-owner", "password": "a long passphrase", "role": "sme", "merchant_ref": "M001"})

    username: str = Field(min_length=1, max_length=100, pattern=USERNAME_PATTERN, description="1..100 characters, no control characters")
    password: str = Field(
        min_length=1, max_length=200,
        description="the password policy applies (else 422 `weak_password` with the reasons): at least 12 characters (XBORDER_PASSWORD_MIN_LENGTH), "
        "not the user name or institution code, not a common or easily guessed password (zxcvbn score XBORDER_PASSWORD_MIN_SCORE, default 3)",
    )
    role: Literal["admin", "finance", "approver", "sme"]
    merchant_ref: str | None = Field(default=None, max_length=64, description="the merchant an `sme` user is bound to: required for `sme` (else 422 `merchant_ref_required`), refused for other roles (422 `merchant_ref_not_allowed`)")


class UserOut(BaseModel):
    id: UUID
    username: str
    role: str
    merchant_ref: str | None
    disabled: bool
    created_at: Timestamp
    pending: bool = Field(default=False, description="created under four eyes and not yet approved: cannot log in until a second admin approves it")


class AuditEntryOut(BaseModel):
    id: UUID
    actor_type: str
    actor_id: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    created_at: Timestamp


class WhoAmI(BaseModel):
    institution_id: UUID
    actor_type: str
    actor_id: UUID
    role: str
    merchant_ref: str | None
    platform_code: str | None


# -- four eyes (api/sod.py) -------------------------------------------------------------


class ApprovalActorOut(BaseModel):
    type: str = Field(description="`user` or `api_key`")
    id: str
    name: str | None = Field(description="the username, or the key's name")


class ApprovalRequestOut(BaseModel):
    """A privileged action proposed by a maker, executed once a different
    person with a checker role approves it (four eyes)."""

    id: UUID
    action: str = Field(description="the policy of the action (see the README's four-eyes table), e.g. `user.create`", examples=["user.create"])
    status: Literal["pending", "executing", "executed", "rejected", "failed"]
    summary: str
    object_type: str
    object_id: str | None
    params: dict[str, Any] = Field(description="what will be executed (never a password or a secret)")
    maker: ApprovalActorOut
    checker: ApprovalActorOut | None = Field(description="who approved or rejected it (the maker, when he withdrew it)")
    reason: str | None = Field(description="why it was rejected, or why its execution failed")
    result: dict[str, Any] | None = Field(description="the executed action's response body (a problem document when it failed)")
    created_at: Timestamp
    decided_at: Timestamp | None


class ApprovalRejectIn(Strict):
    model_config = _examples({"reason": "wrong role: li.wei works in finance"}, {})

    reason: str | None = Field(default=None, max_length=500, description="why (kept on the request and in the audit log)")


class UserSubmitted(ApprovalRequestOut):
    user: UserOut = Field(description="the user, created pending (cannot log in until approved)")


class ApiKeySubmitted(ApprovalRequestOut):
    api_key: ApiKeyIssued = Field(description="the key, issued inactive (401 until approved); its key and signing secret are shown only now")


class UserRoleIn(Strict):
    model_config = _examples({"role": "approver"})

    role: Literal["admin", "finance", "approver"] = Field(description="the new staff role (an SME user keeps its role)")
