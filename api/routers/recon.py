"""Reconciliation: accounts under reconciliation, statement import, matching
runs, the exceptions queue and maker-checker proposals.

Finance staff (and the institution's system key) import and run; proposals
are made by a user and approved by another user with the approver role.
Approving may post money (an adjustment, a bank charge): it requires
``Idempotency-Key``.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, BinaryIO, Literal, NoReturn, cast
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ledger.errors import InvalidInput
from ledger.money import format_minor
from recon import service as RS
from recon.model import StatementRejected
from recon.parsers.csvfmt import FIELDS as CSV_FIELDS

from .. import sod
from ..auth import Principal, require
from ..context import AppContext
from ..deps import CtxDep, ReconDep
from ..fields import IsoDate, StrictInt
from ..idempotency import idempotency_key_header, run_idempotent
from ..jsonnum import JsonStrict
from ..models import Timestamp
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS, ProblemError

router = APIRouter(prefix="/v1/recon", responses=COMMON_ERRORS, tags=["reconciliation"])

READ = require("system", "admin", "finance", "approver", scope="recon:read")
WRITE = require("system", "admin", "finance", scope="recon:write")
STAFF = require("admin", "finance", "approver")
APPROVE = require("approver")

PAGE = page_query()

MAX_STATEMENT_BYTES = 512 * 1024 * 1024
_SPOOL_BYTES = 8 * 1024 * 1024


def actor_of(principal: Principal) -> RS.Actor:
    return RS.Actor(id=principal.actor, name=principal.username or principal.actor, roles=frozenset({principal.role}))


async def check_proposal_checker(ctx: AppContext, principal: Principal, proposal: RS.Proposal, request_id: str | None = None) -> None:
    """Four eyes on approving a pending proposal (``recon.proposal``, api/sod.py):
    the reconciliation service refuses its maker by id; this refuses the
    maker under another name and a user the maker created, enabled or gave
    his role within the cooling period.  A refusal is audited, then raised
    (403).  The API and the console call it before ``Reconciliation.approve``
    (the recon layer cannot import the api's rule)."""
    if proposal.status != "pending":
        return  # the service answers: already decided
    maker_type, _, maker_id = proposal.maker_id.partition(":")
    inst = principal.institution_id
    async with ctx.engine.begin() as conn:
        refusal = await sod.checker_refusal(
            conn, inst, "recon.proposal", maker_type=maker_type, maker_id=maker_id, checker=principal, cooling_hours=ctx.settings.four_eyes_cooling_hours,
        )
        if refusal is not None:
            await sod.audit_refusal(conn, inst, principal, refusal, object_type="recon_proposal", object_id=str(proposal.id), request_id=request_id)
    if refusal is not None:
        raise refusal


def _json(status: int, model: Any) -> Response:
    return Response(content=json.dumps(jsonable_encoder(model), separators=(",", ":")).encode(), status_code=status, media_type="application/json")


# -- models ------------------------------------------------------------------------------------------


class MatchingSettings(JsonStrict):
    date_window_days: StrictInt = Field(default=3, ge=0, le=31, description="value dates may differ by this many days")
    charge_tolerance: str = Field(default="0", pattern=r"^[0-9]{1,18}(\.[0-9]{1,6})?$", description="bank charges accepted as a difference: a decimal string in the account's currency, at most its decimals", examples=["30.00"])
    charge_tolerance_bp: StrictInt = Field(default=0, ge=0, le=10_000, description="…and at most this many basis points of the amount: both bounds apply, so 0 means no tolerance")
    max_group_size: StrictInt = Field(default=6, ge=2, le=12, description="most entries (or lines) combined into one match")
    review_amount_only_below: str | None = Field(
        default=None, pattern=r"^[0-9]{1,18}(\.[0-9]{1,6})?$", examples=["100.00"],
        description="a match on amount and date alone (no shared reference) below this amount is proposed for approval instead of applied; "
        "default 10,000 minor units (100.00 in a currency with two decimals); \"0\" applies every such match",
    )


class ReconAccountIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "bank_account": "CN7710400000123456789", "ledger_account_id": "0193a5b0-7c1e-7d2a-9f3b-2c4d5e6f7a8b", "name": "USD settlement account at BOC Shanghai",
        "start_date": "2026-11-01", "matching": {"date_window_days": 3, "charge_tolerance": "30.00", "charge_tolerance_bp": 100, "max_group_size": 6},
    }]})
    bank_account: str = Field(
        min_length=1, max_length=64, pattern=r"^[ -~]*[!-~][ -~]*$", description="the account as the bank's statements name it (IBAN or account number; printable ASCII, spaces are dropped)",
        examples=["CN7710400000123456789"],
    )
    ledger_account_id: UUID = Field(description="the ledger account that mirrors the bank account (an asset)")
    name: str = Field(default="", max_length=200)
    fee_account_id: UUID | None = Field(default=None, description="expense account for accepted bank charges")
    adjustment_account_id: UUID | None = Field(default=None, description="default counter account of approved adjustments")
    start_date: IsoDate | None = Field(default=None, description="ledger entries before this value date are not reconciled")
    matching: MatchingSettings = Field(default_factory=MatchingSettings)


class MatchingSettingsOut(BaseModel):
    date_window_days: int
    charge_tolerance: str = Field(description="bank charges accepted as a difference, in the account's currency")
    charge_tolerance_bp: int
    max_group_size: int
    review_amount_only_below: str = Field(description="amount-and-date matches below this are proposed, not applied")


class ReconAccountOut(BaseModel):
    id: UUID
    bank_account: str
    currency: str
    ledger_account_id: UUID
    fee_account_id: UUID | None
    adjustment_account_id: UUID | None
    name: str
    start_date: date
    matching: MatchingSettingsOut


CsvField = Literal[CSV_FIELDS]  # type: ignore[valid-type]


class CsvMappingSpec(JsonStrict):
    """How to read a bank's CSV export.  Rules across settings (422 `csv_mapping_inconsistent` when broken): map `amount`, or both
    `debit` and `credit`; a `currency` column or `fixed_currency` (exactly one); an `account` column or `fixed_account` (exactly one);
    `booking_date` or `value_date`; header names when `has_header` is true, 0-based column indexes when false; `delimiter` differs from
    `quotechar` and `thousands_separator` from `decimal_separator`; `encoding` is a known codec; `date_format` round-trips a date."""

    columns: dict[CsvField, str | Annotated[StrictInt, Field(ge=0, le=10_000)]] = Field(description="field -> header name (or 0-based column index without a header row)")
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    quotechar: str = Field(default='"', min_length=1, max_length=1)
    encoding: str = Field(default="utf-8", min_length=1, max_length=32)
    has_header: StrictBool = True
    date_format: str = Field(default="%Y-%m-%d", min_length=1, max_length=64, examples=["%d/%m/%Y"])
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: Literal["", ",", ".", " ", "'", "\u00a0"] = ""
    fixed_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="the currency of every line, when no column gives it")
    fixed_account: str | None = Field(default=None, min_length=1, max_length=64, description="the bank account of every line, when no column gives it")
    statement_id: str | None = Field(default=None, min_length=1, max_length=128)
    skip_blank_rows: StrictBool = True


class CsvMappingIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "boc-usd", "mapping": {"delimiter": ",", "date_format": "%Y-%m-%d", "decimal_separator": ".",
                                       "columns": {"amount": "Amount", "value_date": "Value Date", "currency": "Currency", "reference": "Reference", "description": "Narrative"},
                                       "fixed_account": "CN7710400000123456789"},
    }]})
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["boc-usd"])
    mapping: CsvMappingSpec


class CsvMappingOut(BaseModel):
    name: str
    mapping: dict[str, Any]


class ImportedStatementOut(BaseModel):
    id: UUID | None
    statement_id: str
    account: str
    currency: str
    format: str
    entries: int
    duplicate: bool = Field(description="already imported before: nothing was added")
    balance_mismatch: str | None = Field(description="opening + entries - closing, when the bank's balances disagree with its entries")


class ImportOut(BaseModel):
    filename: str
    sha256: str
    bytes: int
    lines_imported: int
    duplicates_skipped: int
    statements: list[ImportedStatementOut]


class StatementRowOut(BaseModel):
    id: UUID
    recon_account_id: UUID
    bank_account: str
    currency: str
    format: str
    statement_id: str
    entry_count: int
    credits: str
    debits: str
    opening_balance: str | None
    closing_balance: str | None
    balance_mismatch: str | None
    filename: str
    imported_by: str
    imported_at: Timestamp


class LinePartOut(BaseModel):
    """One transaction of a batch entry (a camt ``TxDtls``); its amount is in the line's currency."""

    index: int
    amount: str | None = Field(description="signed like the line; null when the bank gives no amount in the line's currency")
    end_to_end_ref: str | None
    instruction_id: str | None
    tx_id: str | None
    bank_ref: str | None
    reference: str | None
    counterparty_name: str | None
    counterparty_account: str | None
    description: str
    entry_id: str | None = Field(description="the ledger entry the part matched (rule batch_reference); in the exceptions queue, the one it would match")


class StatementLineOut(BaseModel):
    id: UUID
    recon_account_id: UUID
    statement_row_id: UUID | None
    index: int
    amount: str = Field(description="signed: + money in at the bank, - money out; in `currency`")
    currency: str
    booking_date: date | None
    value_date: date
    end_to_end_ref: str | None
    bank_ref: str | None
    reference: str | None
    description: str
    counterparty_name: str | None
    counterparty_account: str | None
    status: Literal["open", "matched", "split"]
    parts: list[LinePartOut] = Field(description="a batch entry (several TxDtls): one part per transaction; empty otherwise")


class RunIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})
    recon_account_id: UUID | None = Field(default=None, description="one account; default every reconciled account")


class RunOut(BaseModel):
    run_id: UUID
    recon_account_id: UUID
    lines_considered: int
    entries_considered: int
    matches_by_rule: dict[str, int]
    unmatched_lines: int
    unmatched_entries: int
    fee_proposals: int
    review_proposals: int = Field(default=0, description="matches on amount and date alone below the account's review threshold, proposed for approval instead of applied")


class RunsOut(BaseModel):
    runs: list[RunOut] = Field(description="one run per reconciled account")


class ExceptionOut(BaseModel):
    side: Literal["line", "entry"]
    id: str
    recon_account_id: UUID
    amount: str = Field(description="signed: + money in at the bank, - money out; in `currency`")
    currency: str
    value_date: date
    reference: str | None
    description: str
    age_days: int
    parts: list[LinePartOut] = Field(default_factory=list, description="a batch line: its parts, each with the entry it matches by reference and amount")
    parts_add_up: bool | None = Field(default=None, description="a batch line: do the parts' amounts add up to the line (else it is matched as one line)")


class MatchOut(BaseModel):
    id: UUID
    recon_account_id: UUID
    rule: str
    status: str
    difference: str = Field(description="statement lines minus ledger entries (bank charges of a fee match), in `currency`")
    currency: str
    line_ids: list[str]
    entry_ids: list[str]
    fee_transaction_id: UUID | None
    proposal_id: UUID | None
    created_by: str
    created_at: Timestamp


class SplitPart(JsonStrict):
    amount: str = Field(pattern=r"^-?[0-9]{1,18}(\.[0-9]{1,6})?$", description="signed decimal string, same sign as the line, in the line's currency", examples=["-120.00"])


class AdjustmentIn(JsonStrict):
    amount: str | None = Field(default=None, pattern=r"^-?[0-9]{1,18}(\.[0-9]{1,6})?$", description="signed decimal string (+ money in at the bank) in the account's currency; default: the sum of the named lines", examples=["-19.99"])
    counter_account_id: UUID | None = Field(default=None, description="default: the reconciled account's adjustment account")
    value_date: IsoDate | None = None
    description: str = Field(default="reconciliation adjustment", max_length=300)
    recon_account_id: UUID | None = Field(default=None, description="needed only when no statement line is named")


_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class ProposalIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "manual_match", "line_ids": ["0193a5b0-7c1e-7d2a-9f3b-2c4d5e6f7a8b"], "entry_ids": ["0193a5b0-8d2f-7e3b-8a4c-3d5e6f7a8b9c:1"], "note": "same payment, reference missing"},
    ]})
    kind: Literal["manual_match", "split", "adjustment"]
    line_ids: list[Annotated[str, Field(pattern=_UUID)]] = Field(default_factory=list, max_length=200, description="statement lines (ids from GET /v1/recon/lines)")
    entry_ids: list[Annotated[str, Field(pattern=_UUID[:-1] + ":[0-9]{1,9}$")]] = Field(
        default_factory=list, max_length=200, description="ledger entries as '<transaction id>:<line number>'", examples=[["0193a5b0-8d2f-7e3b-8a4c-3d5e6f7a8b9c:1"]],
    )
    parts: list[SplitPart] = Field(default_factory=list, max_length=100)
    adjustment: AdjustmentIn | None = None
    note: str = Field(default="", max_length=500)


class ProposalOut(BaseModel):
    id: UUID
    recon_account_id: UUID
    currency: str = Field(description="the reconciled account's currency: every amount of `payload` is in it")
    kind: str
    status: str
    maker_id: str
    maker_name: str
    approver_id: str | None
    approver_name: str | None
    decided_at: Timestamp | None
    line_ids: list[str]
    entry_ids: list[str]
    payload: dict[str, Any] = Field(description="what is proposed; amounts are decimal strings in `currency` (difference, fee, parts[].amount, adjustment.amount)")
    note: str
    reason: str | None
    transaction_id: UUID | None
    match_id: UUID | None
    created_at: Timestamp


class RejectIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "the entry belongs to another customer"}]})
    reason: str = Field(default="", max_length=500)


class SummaryOut(BaseModel):
    as_of: date
    lines: int
    matched_lines: int
    match_rate: str = Field(description="percent, two decimals")
    pending_proposals: int
    accounts: list[dict[str, Any]]
    daily: list[dict[str, Any]]


# -- renderers -----------------------------------------------------------------------------------------


def _account_out(a: RS.ReconAccount) -> ReconAccountOut:
    cfg = RS._config_dict(a.config)
    return ReconAccountOut(
        id=a.id, bank_account=a.bank_account, currency=a.currency, ledger_account_id=a.ledger_account_id, fee_account_id=a.fee_account_id,
        adjustment_account_id=a.adjustment_account_id, name=a.name, start_date=a.start_date,
        matching=MatchingSettingsOut(date_window_days=cfg["date_window_days"], charge_tolerance=format_minor(cfg["charge_tolerance_minor"], a.currency),
                                     charge_tolerance_bp=cfg["charge_tolerance_bp"], max_group_size=cfg["max_group_size"],
                                     review_amount_only_below=format_minor(cfg["review_amount_only_below_minor"], a.currency)),
    )


def proposal_out(p: RS.Proposal, currency: str) -> ProposalOut:
    fields = {k: getattr(p, k) for k in ProposalOut.model_fields if k not in ("currency", "payload")}
    return ProposalOut(**fields, currency=currency, payload=RS.decimal_payload(p.payload, currency))


def parts_out(parts: tuple[RS.LinePart, ...], currency: str) -> list[LinePartOut]:
    return [LinePartOut(
        index=p.index, amount=_money(p.amount_minor, currency), end_to_end_ref=p.end_to_end_ref, instruction_id=p.instruction_id,
        tx_id=p.tx_id, bank_ref=p.bank_ref, reference=p.reference, counterparty_name=p.counterparty_name, counterparty_account=p.counterparty_account,
        description=p.description, entry_id=p.entry_id,
    ) for p in parts]


def _money(v: int | None, cur: str) -> str | None:
    return None if v is None else format_minor(int(v), cur)


def line_out(x: RS.StatementLine) -> StatementLineOut:
    return StatementLineOut(
        id=x.id, recon_account_id=x.recon_account_id, statement_row_id=x.statement_row_id, index=x.index, amount=format_minor(x.amount_minor, x.currency),
        currency=x.currency, booking_date=x.booking_date, value_date=x.value_date, end_to_end_ref=x.end_to_end_ref,
        bank_ref=x.bank_ref, reference=x.reference, description=x.description, counterparty_name=x.counterparty_name,
        counterparty_account=x.counterparty_account, status=cast(Literal["open", "matched", "split"], x.status), parts=parts_out(x.parts, x.currency),
    )


def exception_out(i: RS.ExceptionItem) -> ExceptionOut:
    return ExceptionOut(
        side=cast(Literal["line", "entry"], i.side), id=i.id, recon_account_id=i.recon_account_id, amount=format_minor(i.amount_minor, i.currency), currency=i.currency,
        value_date=i.value_date, reference=i.reference, description=i.description, age_days=i.age_days, parts=parts_out(i.parts, i.currency),
        parts_add_up=i.parts_add_up,
    )


def _statement_out(r: dict[str, Any]) -> StatementRowOut:
    return StatementRowOut(
        id=r["id"], recon_account_id=r["recon_account_id"], bank_account=r["bank_account"], currency=r["currency"], format=r["format"], statement_id=r["statement_id"],
        entry_count=r["entry_count"], credits=format_minor(r["credits_minor"], r["currency"]), debits=format_minor(r["debits_minor"], r["currency"]),
        opening_balance=_money(r["opening_balance_minor"], r["currency"]), closing_balance=_money(r["closing_balance_minor"], r["currency"]),
        balance_mismatch=_money(r["balance_mismatch_minor"], r["currency"]), filename=r["filename"], imported_by=r["imported_by"], imported_at=r["imported_at"],
    )


def _uuid_after(page: PageQuery, kind: str) -> UUID | None:
    """The id held by a cursor of list ``kind`` (None on the first page)."""
    key = page.after(kind)
    if key is None:
        return None
    try:
        return UUID(str(key[0])) if len(key) == 1 else _bad_key()
    except ValueError:
        return _bad_key()


def _bad_key() -> NoReturn:
    raise invalid_cursor("this cursor was altered")


async def _currencies(recon: RS.Reconciliation, institution_id: UUID) -> dict[UUID, str]:
    return {a.id: a.currency for a in await recon.list_accounts(institution_id)}


# -- routes --------------------------------------------------------------------------------------------

IDEMPOTENT = "Requires `Idempotency-Key`: a retry with the same key and body replays the first answer byte for byte; another body with the key is 422."


@router.post("/accounts", status_code=201, response_model=ReconAccountOut, summary="Put a bank account under reconciliation", description=IDEMPOTENT)
async def register_account(body: ReconAccountIn, request: Request, recon: ReconDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        a = await recon.register_account(
            principal.institution_id, bank_account=body.bank_account, ledger_account_id=body.ledger_account_id, name=body.name, fee_account_id=body.fee_account_id,
            adjustment_account_id=body.adjustment_account_id, start_date=body.start_date, config=body.matching.model_dump(exclude_none=True), actor=principal.actor,
        )
        return _json(201, _account_out(a))

    return await run_idempotent(request, principal, handler)


@router.get("/accounts", response_model=Page[ReconAccountOut], summary="Accounts under reconciliation, by bank account and currency")
async def list_accounts(recon: ReconDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    key = page.after("recon_accounts")
    if key is not None and (len(key) != 2 or not all(isinstance(k, str) for k in key)):
        _bad_key()
    rows = await recon.list_accounts(principal.institution_id, after=(key[0], key[1]) if key else None, limit=page.limit + 1)
    return page.build("recon_accounts", rows, key=lambda a: [a.bank_account, a.currency], out=_account_out)


@router.post("/csv-mappings", response_model=CsvMappingOut, summary="Save (or replace) a named CSV column mapping for statement import", description=IDEMPOTENT)
async def put_csv_mapping(body: CsvMappingIn, request: Request, recon: ReconDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        stored = await recon.save_csv_mapping(principal.institution_id, body.name, body.mapping.model_dump(exclude_unset=True), actor=principal.actor)
        return _json(200, CsvMappingOut(name=body.name, mapping=stored))

    return await run_idempotent(request, principal, handler)


@router.get("/csv-mappings", response_model=Page[CsvMappingOut], summary="Saved CSV column mappings, by name")
async def list_csv_mappings(recon: ReconDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    key = page.after("csv_mappings")
    if key is not None and (len(key) != 1 or not isinstance(key[0], str)):
        _bad_key()
    maps = sorted((await recon.csv_mappings(principal.institution_id)).items())
    rows = [(k, v) for k, v in maps if key is None or k > key[0]][: page.limit + 1]
    return page.build("csv_mappings", rows, key=lambda kv: [kv[0]], out=lambda kv: CsvMappingOut(name=kv[0], mapping=kv[1]))


def import_out(res: RS.ImportResult) -> ImportOut:
    return ImportOut(
        filename=res.filename, sha256=res.sha256, bytes=res.bytes, lines_imported=res.lines_imported, duplicates_skipped=res.duplicates_skipped,
        statements=[ImportedStatementOut(
            id=s.id, statement_id=s.statement_id, account=s.account, currency=s.currency, format=s.format, entries=s.entries, duplicate=s.duplicate,
            balance_mismatch=_money(s.balance_mismatch_minor, s.currency),
        ) for s in res.statements],
    )


def _too_large() -> ProblemError:
    return ProblemError(413, "payload_too_large", "Payload too large", f"statement files are limited to {MAX_STATEMENT_BYTES} bytes", limit=MAX_STATEMENT_BYTES)


@router.post(
    "/statements/file", response_model=ImportOut, summary="Import a bank statement file (camt.053, camt.054, MT940, CSV)",
    description="The body is the file itself, or a `multipart/form-data` form with the field `file`. A broken file is refused with the line or "
    "element at fault and nothing is imported (an empty file too: 422 `statement_rejected`); a statement imported before (same account, same statement id) "
    "is skipped. CSV needs `csv_mapping` (an unknown name is 404). " + IDEMPOTENT,
    responses={404: {"description": "No CSV mapping of that name"}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/xml": {"schema": {"type": "string", "format": "binary"}},
        "text/plain": {"schema": {"type": "string", "format": "binary"}},
        "text/csv": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
    }}},
)
async def import_statement(
    request: Request, recon: ReconDep,
    format: Literal["camt.053", "camt.054", "mt940", "csv"] | None = Query(default=None, description="default: detected from the content"),
    csv_mapping: str | None = Query(default=None, max_length=64, description="name of a saved CSV column mapping"),
    filename: str = Query(default="", max_length=255),
    principal: Principal = Depends(WRITE),
    _key: str = Depends(idempotency_key_header),
) -> Response:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_STATEMENT_BYTES:
        raise _too_large()

    async def handler(key: str) -> Response:
        return _json(200, import_out(await _import(request, recon, principal, fmt=format, csv_mapping=csv_mapping, filename=filename)))

    return await run_idempotent(request, principal, handler, max_body=MAX_STATEMENT_BYTES, too_large=_too_large)


async def _import(request: Request, recon: RS.Reconciliation, principal: Principal, *, fmt: str | None, csv_mapping: str | None, filename: str) -> RS.ImportResult:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        try:
            if upload is None or isinstance(upload, str):
                raise InvalidInput("send the file in the form field `file`", field="file")
            return await recon.import_statement(principal.institution_id, upload.file, filename=filename or upload.filename or "", fmt=fmt,
                                                csv_mapping=csv_mapping, actor=principal.actor)
        finally:
            await form.close()
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        size = 0
        async for part in request.stream():
            size += len(part)
            if size > MAX_STATEMENT_BYTES:
                raise _too_large()
            spool.write(part)
        if size == 0:
            raise StatementRejected("the statement file is empty", format=fmt or "unknown", position="byte 0")
        spool.seek(0)
        return await recon.import_statement(principal.institution_id, cast(BinaryIO, spool), filename=filename, fmt=fmt, csv_mapping=csv_mapping, actor=principal.actor)


@router.get("/statements", response_model=Page[StatementRowOut], summary="Imported statements, newest first")
async def list_statements(recon: ReconDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    rows = await recon.list_statements(principal.institution_id, limit=page.limit + 1, after=_uuid_after(page, "recon_statements"))
    return page.build("recon_statements", rows, key=lambda r: [str(r["id"])], out=_statement_out)


@router.get("/lines", response_model=Page[StatementLineOut], summary="Imported statement lines (of one statement, or all), each with its batch parts",
            description="In the order they were imported (statement by statement, in the bank's order). A statement or reconciled account "
            "that is not the caller's is 404.")
async def list_lines(
    recon: ReconDep,
    statement: UUID | None = Query(default=None, description="the statement's id (as GET /v1/recon/statements gives it)"),
    recon_account_id: UUID | None = None,
    status: Literal["open", "matched", "split"] | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
) -> Page[Any]:
    lines = await recon.statement_lines(principal.institution_id, statement_row_id=statement, recon_account_id=recon_account_id, status=status,
                                        limit=page.limit + 1, after=_uuid_after(page, "recon_lines"))
    return page.build("recon_lines", lines, key=lambda x: [str(x.id)], out=line_out)


@router.post("/runs", response_model=RunsOut, summary="Run the automatic matching rules", description=IDEMPOTENT)
async def run_matching(body: RunIn, request: Request, recon: ReconDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        runs = await recon.run_matching(principal.institution_id, recon_account_id=body.recon_account_id, actor=principal.actor)
        return _json(200, RunsOut(runs=[RunOut(
            run_id=r.run_id, recon_account_id=r.recon_account_id, lines_considered=r.lines_considered, entries_considered=r.entries_considered,
            matches_by_rule=r.counts, unmatched_lines=r.unmatched_lines, unmatched_entries=r.unmatched_entries, fee_proposals=r.fee_proposals, review_proposals=r.review_proposals,
        ) for r in runs]))

    return await run_idempotent(request, principal, handler)


#: an amount bound of the exceptions queue: a plain non-negative decimal (no sign, exponent or separators)
_AMOUNT_BOUND = r"^[0-9]{1,15}(\.[0-9]{1,4})?$"


async def exception_filter(
    q: Annotated[str | None, Query(max_length=200, description="text in the reference, description or counterparty; or an amount (`1,234.50`) equal to the absolute amount")] = None,
    direction: Annotated[Literal["in", "out"] | None, Query(description="`in`: money in (positive amounts); `out`: money out")] = None,
    amount_min: Annotated[str | None, Query(pattern=_AMOUNT_BOUND, description="smallest absolute amount, in the item's currency (decimal string)", examples=["100.00"])] = None,
    amount_max: Annotated[str | None, Query(pattern=_AMOUNT_BOUND, description="largest absolute amount, in the item's currency (decimal string)", examples=["5000.00"])] = None,
    age: Annotated[Literal["0-1", "2-7", "8-30", "31+"] | None, Query(description="age bucket in days since the value date")] = None,
    value_from: Annotated[IsoDate | None, Query(description="value date on or after")] = None,
    value_to: Annotated[IsoDate | None, Query(description="value date on or before")] = None,
    currency: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description="only items in this currency")] = None,
) -> RS.ExceptionFilter:
    """The exceptions queue's filters as query parameters (also used by the console)."""
    return RS.ExceptionFilter(
        text=q.strip() or None if q is not None else None, direction=direction, amount_min=None if amount_min is None else Decimal(amount_min),
        amount_max=None if amount_max is None else Decimal(amount_max), age=age, value_from=value_from, value_to=value_to, currency=currency,
    )


@router.get("/exceptions", response_model=Page[ExceptionOut], summary="Unmatched statement lines and ledger entries, oldest first, with age",
            description="In the order value date, side (`entry` before `line`), id.")
async def list_exceptions(
    recon: ReconDep,
    side: Literal["line", "entry"] | None = None,
    recon_account_id: UUID | None = None,
    as_of: Annotated[IsoDate | None, Query(description="ages are counted to this day (default today, China time)")] = None,
    filters: RS.ExceptionFilter = Depends(exception_filter),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
) -> Page[Any]:
    key = page.after("recon_exceptions")
    if key is not None and (len(key) != 3 or not all(isinstance(k, str) for k in key)):
        _bad_key()
    after = (key[0], key[1], key[2]) if key else None
    items = await recon.exceptions(principal.institution_id, side=side, recon_account_id=recon_account_id, as_of=as_of, limit=page.limit + 1, after=after, filters=filters)
    return page.build("recon_exceptions", items, key=lambda i: list(RS.exception_key(i)), out=exception_out)


@router.get("/matches", response_model=Page[MatchOut], summary="Matches, newest first, each with the rule that made it")
async def list_matches(recon: ReconDep, recon_account_id: UUID | None = None, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    if recon_account_id is not None:
        await recon.get_account(principal.institution_id, recon_account_id)
    rows = await recon.matches(principal.institution_id, recon_account_id=recon_account_id, limit=page.limit + 1, after=_uuid_after(page, "recon_matches"))
    cur = await _currencies(recon, principal.institution_id)

    def out(r: dict[str, Any]) -> MatchOut:
        c = cur[r["recon_account_id"]]
        return MatchOut(**{k: v for k, v in r.items() if k != "difference_minor"}, difference=format_minor(r["difference_minor"], c), currency=c)

    return page.build("recon_matches", rows, key=lambda r: [str(r["id"])], out=out)


@router.post("/proposals", status_code=201, response_model=ProposalOut, summary="Propose a manual match, split or adjustment (maker)",
             description="Takes effect only when another user with the approver role approves it. What must fit (else 422 "
             "`proposal_inconsistent`, or `match_does_not_balance` when the amounts do not add up): no line or entry twice; at least one "
             "line or entry (or an adjustment's `recon_account_id`), all of one reconciled account; a manual match names lines and entries; "
             "a split one line, no entries and at least two parts with the line's sign; an adjustment lines only, a non-zero amount and a "
             "counter account in the account's currency. " + IDEMPOTENT)
async def create_proposal(body: ProposalIn, request: Request, recon: ReconDep, principal: Principal = Depends(STAFF), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        p = await recon.propose(
            principal.institution_id, kind=body.kind, maker=actor_of(principal), line_ids=body.line_ids, entry_ids=body.entry_ids,
            parts=[x.model_dump() for x in body.parts], adjustment=body.adjustment.model_dump(mode="json") if body.adjustment else None, note=body.note,
        )
        return _json(201, proposal_out(p, (await recon.get_account(principal.institution_id, p.recon_account_id)).currency))

    return await run_idempotent(request, principal, handler)


@router.get("/proposals", response_model=Page[ProposalOut], summary="Proposals awaiting approval (or decided ones), in the order they were made")
async def list_proposals(
    recon: ReconDep, status: Literal["pending", "approved", "rejected"] | None = "pending", page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ),
) -> Page[Any]:
    rows = await recon.proposals(principal.institution_id, status=status, limit=page.limit + 1, after=_uuid_after(page, "recon_proposals"))
    cur = await _currencies(recon, principal.institution_id)
    return page.build("recon_proposals", rows, key=lambda p: [str(p.id)], out=lambda p: proposal_out(p, cur[p.recon_account_id]))


@router.get("/proposals/{proposal_id}", response_model=ProposalOut, summary="One proposal")
async def get_proposal(proposal_id: UUID, recon: ReconDep, principal: Principal = Depends(READ)) -> ProposalOut:
    p = await recon.get_proposal(principal.institution_id, proposal_id)
    return proposal_out(p, (await recon.get_account(principal.institution_id, p.recon_account_id)).currency)


@router.post("/proposals/{proposal_id}/approve", response_model=ProposalOut, summary="Approve a proposal (checker; never the maker)",
             description="Requires `Idempotency-Key`: approving may post an adjustment or a bank charge. Four eyes (`recon.proposal`): the checker "
             "is refused (403) when he is the maker (`four_eyes_same_person`, also under another name: a key the maker issued), or a user the maker "
             "created, enabled or gave his role within the cooling period (`four_eyes_linked_checker`); each refusal is audited (`four_eyes.refused`).")
async def approve_proposal(proposal_id: UUID, request: Request, recon: ReconDep, ctx: CtxDep, principal: Principal = Depends(APPROVE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        await check_proposal_checker(ctx, principal, await recon.get_proposal(principal.institution_id, proposal_id), getattr(request.state, "request_id", None))
        p = await recon.approve(principal.institution_id, proposal_id, approver=actor_of(principal))
        return _json(200, proposal_out(p, (await recon.get_account(principal.institution_id, p.recon_account_id)).currency))

    return await run_idempotent(request, principal, handler)


@router.post("/proposals/{proposal_id}/reject", response_model=ProposalOut, summary="Reject a proposal (an approver, or its maker to withdraw it)")
async def reject_proposal(proposal_id: UUID, body: RejectIn, recon: ReconDep, principal: Principal = Depends(STAFF)) -> ProposalOut:
    p = await recon.reject(principal.institution_id, proposal_id, approver=actor_of(principal), reason=body.reason)
    return proposal_out(p, (await recon.get_account(principal.institution_id, p.recon_account_id)).currency)


@router.get("/summary", response_model=SummaryOut, summary="Reconciliation summary: match rate, unmatched by age, daily")
async def summary(recon: ReconDep, as_of: Annotated[IsoDate | None, Query(description="default today, China time")] = None, principal: Principal = Depends(READ)) -> SummaryOut:
    return SummaryOut(**await recon.summary(principal.institution_id, as_of=as_of))
