"""Advances of overseas fees (S4) and netting cycles (S7, S8).

Staff roles finance and system write, approver/admin/finance/system read.
POSTs that move money (record and settle an advance, add obligations to a
cycle, close a cycle, a partner-bank daily settlement) require
``Idempotency-Key``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from ledger.clock import business_date
from ledger.errors import AmountPrecision
from ledger.money import currency as check_currency
from ledger.money import exponent, format_minor, parse_amount
from settlement import advances as ADV
from settlement import netting as NET
from settlement.tables_netting import ADVANCE_KINDS

from .. import models as M
from .. import sod
from ..auth import Principal, require
from ..deps import LedgerDep
from ..fields import IsoDate, QueryBool
from ..idempotency import idempotency_key_header, run_idempotent
from ..models import Amount, DecimalAmount
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS
from ..responses import json_response as _json

router = APIRouter(prefix="/v1", responses=COMMON_ERRORS)

READ = require("system", "admin", "finance", "approver", scope="settlement:read")
WRITE = require("system", "finance", scope="settlement:write")
#: the makers of ``netting.close`` (api/sod.py); a second person approves
CLOSE = require(*sod.POLICIES["netting.close"].maker_roles, scope="settlement:write")
#: ``?limit=`` (default 50, at most 1000) and ``?cursor=`` of the lists
PAGE = page_query()

_POST_DOC = "Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte; the key with another body is 422."

#: the fee kinds an advance may be of (settlement.tables_netting.ADVANCE_KINDS)
AdvanceKind = Literal[ADVANCE_KINDS]  # type: ignore[valid-type]
SignedAmount = Annotated[str, Field(description="Decimal amount in major units (may be negative)", examples=["-1234.56"])]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 alphabetic code", examples=["USD"])]
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]{1,64}$", description="owner reference of a merchant or provider", examples=["M001"])]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- models: advances ------------------------------------------------------------------------------


class AdvanceIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "merchant_ref": "M001", "provider_ref": "sf-express", "kind": "logistics", "currency": "USD", "amount": "350.00", "advance_date": "2026-11-20",
        "reference": "SF-INV-88231", "description": "sea freight to the Rotterdam warehouse",
    }]})
    merchant_ref: Ref
    provider_ref: Ref = Field(description="the logistics/express firm or platform that paid the fee")
    kind: AdvanceKind
    currency: CurrencyCode
    amount: Amount
    advance_date: IsoDate = Field(description="business date the provider paid the fee (ages count from it)")
    reference: str | None = Field(default=None, max_length=128)
    description: str = Field(default="", max_length=500)
    repay_account_id: UUID | None = Field(default=None, description="the provider's account credited with repayments; default its `adv:<provider>:proceeds:<CUR>` account")


class AdvanceSettleIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount": "100.00", "effective_date": "2026-12-01", "reference": "repaid by bank transfer"}, {}]})
    amount: Amount | None = Field(default=None, description="default: everything outstanding")
    source_account_id: UUID | None = Field(default=None, description="merchant account paying (moves the cash to the provider); omit when settled outside the institution")
    effective_date: IsoDate | None = None
    reference: str | None = Field(default=None, max_length=128)


class AdvanceSettlementOut(BaseModel):
    id: UUID
    amount: DecimalAmount
    source: Literal["proceeds", "account", "outside"]
    source_account_id: UUID | None
    transaction_id: UUID
    reference: str | None
    effective_date: date
    created_at: datetime


class AdvanceOut(BaseModel):
    id: UUID
    merchant_ref: str
    provider_ref: str
    kind: str
    currency: str
    amount: DecimalAmount
    outstanding: DecimalAmount = Field(description="outstanding now (or as of the report date in listings)")
    settled: DecimalAmount
    advance_date: date
    status: Literal["outstanding", "settled"]
    reference: str | None
    description: str
    receivable_account_id: UUID
    payable_account_id: UUID
    repay_account_id: UUID
    transaction_id: UUID
    recorded_at: datetime
    settled_at: datetime | None
    flagged_at: datetime | None = Field(description="when the overdue sweep flagged it")
    age_days: int | None = None
    bucket: str | None = Field(default=None, description="aging bucket (0-30, 31-90, 91-180, 181-365, >365 by default); null when nothing is outstanding")
    flagged: bool | None = Field(default=None, description="outstanding longer than the configured months (12), in calendar months, Asia/Shanghai")
    flag_after: date | None = Field(default=None, description="last day it may be outstanding without being flagged")


class AdvanceDetailOut(AdvanceOut):
    settlements: list[AdvanceSettlementOut]


class AgingBucketOut(BaseModel):
    currency: str
    bucket: str
    count: int
    outstanding: DecimalAmount


class FlaggedTotalOut(BaseModel):
    currency: str
    outstanding: DecimalAmount


class AgingReportOut(BaseModel):
    as_of: date
    bucket_labels: list[str]
    buckets: list[AgingBucketOut]
    flagged_count: int
    flagged: list[FlaggedTotalOut]


class OverdueSweepIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"as_of": "2026-12-01"}, {}]})
    as_of: IsoDate | None = Field(default=None, description="default today, Asia/Shanghai")


class OverdueSweepOut(BaseModel):
    as_of: date
    flagged: list[AdvanceOut]


# -- models: netting ---------------------------------------------------------------------------------


class CycleIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reference": "net-2026-12-01", "description": "daily netting of warehouse fees", "business_date": "2026-12-01"}]})
    reference: str | None = Field(default=None, min_length=1, max_length=128, description="unique in the institution: opening again with it returns the cycle")
    description: str = Field(default="", max_length=500)
    business_date: IsoDate | None = Field(default=None, description="default today, Asia/Shanghai; the value date of the settlement")
    ledger_id: UUID | None = Field(default=None, description="default: the settlement ledger")


class ObligationIn(_Strict):
    payer_account_id: UUID
    payee_account_id: UUID
    amount: Amount
    currency: CurrencyCode
    reference: str | None = Field(default=None, max_length=128)


class ObligationsIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"obligations": [{
        "payer_account_id": "01890a5d-ac96-774b-bcce-b302099a8057", "payee_account_id": "01890a5d-ac96-774b-bcce-b302099a8058", "amount": "1250.00", "currency": "USD",
        "reference": "INV-7781",
    }]}]})
    obligations: list[ObligationIn] = Field(min_length=1, max_length=NET.MAX_OBLIGATIONS_PER_BATCH)


class ObligationOut(BaseModel):
    id: UUID
    seq: int
    payer_account_id: UUID
    payee_account_id: UUID
    currency: str
    amount: DecimalAmount
    reference: str | None
    created_at: datetime


class PositionOut(BaseModel):
    account_id: UUID
    account_code: str | None
    owner_ref: str | None
    currency: str
    receivable: DecimalAmount
    payable: DecimalAmount
    net: SignedAmount = Field(description="receivable - payable: positive net receiver, negative net payer")


class InstructionOut(BaseModel):
    seq: int
    account_id: UUID
    account_code: str | None
    owner_ref: str | None
    currency: str
    direction: Literal["pay", "receive"] = Field(description="pay: the participant pays the central account; receive: the central account pays it")
    amount: DecimalAmount
    from_account_id: UUID
    to_account_id: UUID


class CurrencyTotalOut(BaseModel):
    currency: str
    amount: DecimalAmount


class CycleSummaryOut(BaseModel):
    id: UUID
    ledger_id: UUID
    kind: str
    reference: str | None
    description: str
    status: Literal["open", "closed"]
    business_date: date
    obligation_count: int
    opened_at: datetime
    closed_at: datetime | None
    transaction_id: UUID | None


class CycleOut(CycleSummaryOut):
    positions: list[PositionOut]
    instructions: list[InstructionOut]
    totals: list[CurrencyTotalOut] = Field(description="per currency: paid into and out of the central account")
    central_accounts: dict[str, UUID]
    preview: bool = Field(description="true while open: positions and instructions as they would be if closed now")


class PartnerFlowIn(_Strict):
    direction: Literal["from_bank", "to_bank"] = Field(description="from_bank: the bank owes the institution (e.g. receipts it collected); to_bank: the institution owes the bank")
    currency: CurrencyCode
    amount: Amount
    reference: str | None = Field(default=None, max_length=128)


class PartnerBankSettlementIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "partner_bank_ref": "icbc-sz", "business_date": "2026-12-01",
        "flows": [{"direction": "from_bank", "currency": "USD", "amount": "52000.00", "reference": "collections 2026-12-01"}, {"direction": "to_bank", "currency": "USD", "amount": "18000.00"}],
    }]})
    partner_bank_ref: Ref
    business_date: IsoDate
    flows: list[PartnerFlowIn] = Field(default_factory=list, max_length=NET.MAX_OBLIGATIONS_PER_BATCH)
    reserve_account_ids: dict[str, UUID] | None = Field(default=None, description="per currency, the reserve account at the bank; default inst:nostro:<CUR>")


# -- helpers -------------------------------------------------------------------------------------------------


def _actor(request: Request, principal: Principal) -> ADV.Actor:
    return ADV.Actor(principal.actor_type, str(principal.actor_id), getattr(request.state, "request_id", None))


def _advance_out(a: ADV.Advance, aged: ADV.AgedAdvance | None = None, model=AdvanceOut, **extra) -> Any:
    c = a.currency
    outstanding = aged.outstanding_minor if aged is not None else a.outstanding_minor
    return model(
        id=a.id, merchant_ref=a.merchant_ref, provider_ref=a.provider_ref, kind=a.kind, currency=c, amount=format_minor(a.amount_minor, c),
        outstanding=format_minor(outstanding, c), settled=format_minor(a.amount_minor - outstanding, c), advance_date=a.advance_date,
        status=a.status, reference=a.reference, description=a.description, receivable_account_id=a.receivable_account_id,
        payable_account_id=a.payable_account_id, repay_account_id=a.repay_account_id, transaction_id=a.transaction_id, recorded_at=a.recorded_at,
        settled_at=a.settled_at, flagged_at=a.flagged_at,
        age_days=aged.age_days if aged else None, bucket=aged.bucket if aged else None, flagged=aged.flagged if aged else None,
        flag_after=aged.flag_after if aged else None, **extra,
    )


def _cycle_summary(c: NET.NettingCycle) -> CycleSummaryOut:
    return CycleSummaryOut(
        id=c.id, ledger_id=c.ledger_id, kind=c.kind, reference=c.reference, description=c.description, status=c.status, business_date=c.business_date,
        obligation_count=c.obligation_count, opened_at=c.opened_at, closed_at=c.closed_at, transaction_id=c.transaction_id,
    )


def _cycle_out(v: NET.CycleView) -> CycleOut:
    parts = v.participants

    def code(a):
        return parts[a].code if a in parts else None

    def owner(a):
        return parts[a].owner_ref if a in parts else None

    instructions = []
    for i in v.instructions:
        central = v.central_accounts[i.currency]
        frm, to = (i.account_id, central) if i.direction == NET.PAY else (central, i.account_id)
        instructions.append(
            InstructionOut(
                seq=i.seq, account_id=i.account_id, account_code=code(i.account_id), owner_ref=owner(i.account_id), currency=i.currency,
                direction=i.direction, amount=format_minor(i.amount_minor, i.currency), from_account_id=frm, to_account_id=to,
            )
        )
    return CycleOut(
        **_cycle_summary(v.cycle).model_dump(),
        positions=[
            PositionOut(
                account_id=p.account_id, account_code=code(p.account_id), owner_ref=owner(p.account_id), currency=p.currency,
                receivable=format_minor(p.receivable_minor, p.currency), payable=format_minor(p.payable_minor, p.currency), net=format_minor(p.net_minor, p.currency),
            )
            for p in v.positions
        ],
        instructions=instructions,
        totals=[CurrencyTotalOut(currency=c, amount=format_minor(t, c)) for c, t in sorted(v.totals().items())],
        central_accounts=v.central_accounts,
        preview=v.cycle.status == "open",
    )


# -- advances -------------------------------------------------------------------------------------------------


@router.post("/advances", status_code=201, response_model=AdvanceOut, tags=["advances"], summary="Record an advance of overseas fees (S4)", description=_POST_DOC)
async def create_advance(body: AdvanceIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    check_currency(body.currency)
    amount = parse_amount(body.amount, body.currency, field="amount")

    async def handler(key: str) -> Response:
        cfg = await ADV.institution_config(ledger, principal.institution_id)
        adv = await ADV.record_advance(
            ledger, principal.institution_id, merchant_ref=body.merchant_ref, provider_ref=body.provider_ref, kind=body.kind,
            currency=body.currency, amount_minor=amount, advance_date=body.advance_date, reference=body.reference,
            description=body.description, repay_account_id=body.repay_account_id, idempotency_key=f"http:{key}", actor=_actor(request, principal), config=cfg,
        )
        return _json(201, _advance_out(adv))

    return await run_idempotent(request, principal, handler)


AsOfQuery = Annotated[IsoDate | None, Query(description="report date (default today, Asia/Shanghai)")]
MerchantQuery = Annotated[str | None, Query(max_length=64)]
CurrencyQuery = Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")]


def _aged_key(x: ADV.AgedAdvance) -> list[str]:
    a = x.advance
    return [a.advance_date.isoformat(), a.recorded_at.isoformat(), str(a.id)]


@router.get("/advances", response_model=Page[AdvanceOut], tags=["advances"], summary="Advances with their age, aging bucket and the 12-month flag, oldest first")
async def list_advances(
    ledger: LedgerDep,
    as_of: AsOfQuery = None,
    merchant_ref: MerchantQuery = None,
    provider_ref: MerchantQuery = None,
    currency: CurrencyQuery = None,
    status: Literal["outstanding", "all"] = "outstanding",
    flagged: Annotated[QueryBool, Query(description="only advances outstanding longer than the flag months")] = False,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    after = page.after("advances")
    cfg = await ADV.institution_config(ledger, principal.institution_id)
    r = await ADV.advance_aging(
        ledger, principal.institution_id, as_of=as_of, merchant_ref=merchant_ref, provider_ref=provider_ref, currency=currency,
        include_settled=status == "all", flagged_only=flagged, config=cfg,
    )
    items = r.items if after is None else [x for x in r.items if _aged_key(x) > [str(k) for k in after]]
    return page.build("advances", items[: page.limit + 1], key=_aged_key, out=lambda x: _advance_out(x.advance, x))


@router.get("/advances/aging", response_model=AgingReportOut, tags=["advances"], summary="Outstanding advances by currency and aging bucket, and the flagged totals")
async def advance_aging(
    ledger: LedgerDep,
    as_of: AsOfQuery = None,
    merchant_ref: MerchantQuery = None,
    provider_ref: MerchantQuery = None,
    currency: CurrencyQuery = None,
    principal: Principal = Depends(READ),
):
    cfg = await ADV.institution_config(ledger, principal.institution_id)
    r = await ADV.advance_aging(ledger, principal.institution_id, as_of=as_of, merchant_ref=merchant_ref, provider_ref=provider_ref, currency=currency, config=cfg, limit=0)
    return AgingReportOut(
        as_of=r.as_of, bucket_labels=r.bucket_labels,
        buckets=[AgingBucketOut(currency=b.currency, bucket=b.bucket, count=b.count, outstanding=format_minor(b.outstanding_minor, b.currency)) for b in r.buckets],
        flagged_count=r.flagged_count, flagged=[FlaggedTotalOut(currency=c, outstanding=format_minor(v, c)) for c, v in sorted(r.flagged_minor.items())],
    )


@router.post("/advances/overdue-sweep", response_model=OverdueSweepOut, tags=["advances"], summary="Flag advances outstanding longer than the flag months (events, S9 alerts)")
async def overdue_sweep(body: OverdueSweepIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE)):
    cfg = await ADV.institution_config(ledger, principal.institution_id)
    day = business_date(body.as_of, cfg.regulatory_timezone)
    flagged = await ADV.flag_stale_advances(ledger, principal.institution_id, as_of=day, actor=_actor(request, principal), config=cfg)
    return OverdueSweepOut(as_of=day, flagged=[_advance_out(a) for a in flagged])


@router.get("/advances/{advance_id}", response_model=AdvanceDetailOut, tags=["advances"], summary="An advance with its aging and settlements")
async def get_advance(advance_id: UUID, ledger: LedgerDep, principal: Principal = Depends(READ)):
    aged, settlements = await ADV.aged_advance(ledger, principal.institution_id, advance_id)
    adv, c = aged.advance, aged.advance.currency
    return _advance_out(
        adv, aged, AdvanceDetailOut,
        settlements=[
            AdvanceSettlementOut(
                id=s.id, amount=format_minor(s.amount_minor, c), source=s.source, source_account_id=s.source_account_id, transaction_id=s.transaction_id,
                reference=s.reference, effective_date=s.effective_date, created_at=s.created_at,
            )
            for s in settlements
        ],
    )


def _amount_in(text: str, currency: str) -> int:
    """Parse an amount in the currency of a stored object: more decimals than
    it has is the rule ``amount_precision`` (the request names no currency)."""
    frac = text.partition(".")[2]
    if len(frac) > exponent(currency):
        raise AmountPrecision(f"amount {text}: {currency} has {exponent(currency)} decimal places", field="amount", amount=text, currency=currency)
    return parse_amount(text, currency, field="amount")


@router.post("/advances/{advance_id}/settle", response_model=AdvanceOut, tags=["advances"], summary="Settle an advance fully or partly", description=_POST_DOC)
async def settle_advance(advance_id: UUID, body: AdvanceSettleIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    adv, _ = await ADV.get_advance(ledger, principal.institution_id, advance_id)
    amount = None if body.amount is None else _amount_in(body.amount, adv.currency)

    async def handler(key: str) -> Response:
        cfg = await ADV.institution_config(ledger, principal.institution_id)
        after = await ADV.settle_advance(
            ledger, principal.institution_id, advance_id, amount_minor=amount, source_account_id=body.source_account_id,
            effective_date=body.effective_date, reference=body.reference, idempotency_key=f"http:{key}", actor=_actor(request, principal), config=cfg,
        )
        return _json(200, _advance_out(after))

    return await run_idempotent(request, principal, handler)


# -- netting cycles -----------------------------------------------------------------------------------------------


@router.post("/netting/cycles", status_code=201, response_model=CycleSummaryOut, tags=["netting"], summary="Open a netting cycle (S8)", description=_POST_DOC)
async def open_cycle(body: CycleIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        cfg = await ADV.institution_config(ledger, principal.institution_id)
        cycle = await NET.open_cycle(
            ledger, principal.institution_id, reference=body.reference, description=body.description, ledger_id=body.ledger_id,
            business_date=body.business_date, actor=_actor(request, principal), config=cfg,
        )
        return _json(201, _cycle_summary(cycle))

    return await run_idempotent(request, principal, handler)


def _cycle_cursor(page: PageQuery) -> tuple[datetime, UUID] | None:
    key = page.after("netting_cycles")
    if key is None:
        return None
    try:
        return datetime.fromisoformat(str(key[0])), UUID(str(key[1]))
    except (ValueError, IndexError):
        raise invalid_cursor("this cursor belongs to another list (or was altered)") from None


@router.get("/netting/cycles", response_model=Page[CycleSummaryOut], tags=["netting"], summary="List netting cycles, newest first")
async def list_cycles(
    ledger: LedgerDep,
    status: Literal["open", "closed"] | None = None,
    kind: Literal["multilateral", "partner_bank"] | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    cycles = await NET.list_cycles(ledger, principal.institution_id, status=status, kind=kind, limit=page.limit + 1, before=_cycle_cursor(page))
    return page.build("netting_cycles", cycles, key=lambda c: [c.opened_at.isoformat(), str(c.id)], out=_cycle_summary)


@router.get("/netting/cycles/{cycle_id}", response_model=CycleOut, tags=["netting"], summary="A cycle with net positions and settlement instructions")
async def get_cycle(cycle_id: UUID, ledger: LedgerDep, principal: Principal = Depends(READ)):
    return _cycle_out(await NET.get_cycle(ledger, principal.institution_id, cycle_id))


@router.post("/netting/cycles/{cycle_id}/obligations", response_model=CycleSummaryOut, tags=["netting"], summary="Add obligations to an open cycle (all or none)", description=_POST_DOC)
async def add_obligations(cycle_id: UUID, body: ObligationsIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    items = []
    for i, o in enumerate(body.obligations):
        check_currency(o.currency)
        items.append(NET.ObligationIn(o.payer_account_id, o.payee_account_id, parse_amount(o.amount, o.currency, field=f"obligations[{i}].amount"), o.currency, o.reference))

    async def handler(key: str) -> Response:
        cycle = await NET.add_obligations(ledger, principal.institution_id, cycle_id, items, batch_key=f"http:{key}", actor=_actor(request, principal))
        return _json(200, _cycle_summary(cycle))

    return await run_idempotent(request, principal, handler)


def _obligation_out(o: NET.Obligation) -> ObligationOut:
    return ObligationOut(
        id=o.id, seq=o.seq, payer_account_id=o.payer_account_id, payee_account_id=o.payee_account_id, currency=o.currency,
        amount=format_minor(o.amount_minor, o.currency), reference=o.reference, created_at=o.created_at,
    )


@router.get("/netting/cycles/{cycle_id}/obligations", response_model=Page[ObligationOut], tags=["netting"], summary="A cycle's obligations in the order added")
async def list_obligations(cycle_id: UUID, ledger: LedgerDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)):
    key = page.after("netting_obligations")
    if key is not None and (len(key) != 1 or type(key[0]) is not int):
        raise invalid_cursor("this cursor belongs to another list (or was altered)")
    obs = await NET.list_obligations(ledger, principal.institution_id, cycle_id, after_seq=0 if key is None else key[0], limit=page.limit + 1)
    return page.build("netting_obligations", obs, key=lambda o: [o.seq], out=_obligation_out)


_FOUR_EYES = (
    " Four eyes (`netting.close`): answers 202 with a pending approval request (`Location: /v1/approval-requests/{id}`); nothing is posted until a "
    "different person with a checker role approves it (`POST /v1/approval-requests/{id}/approve`), whose `result` is the closed cycle."
)


@router.post(
    "/netting/cycles/{cycle_id}/close", status_code=202, response_model=M.ApprovalRequestOut, responses={200: {"model": CycleOut, "description": "the cycle was already closed"}},
    tags=["netting"], summary="Propose closing a cycle: net, instruct and post atomically once a second person approves",
    description=_POST_DOC + _FOUR_EYES + " Closing a closed cycle returns it unchanged (200).",
)
async def close_cycle(cycle_id: UUID, request: Request, ledger: LedgerDep, principal: Principal = Depends(CLOSE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        view = await NET.get_cycle(ledger, principal.institution_id, cycle_id)
        if view.cycle.status != "open":
            return _json(200, _cycle_out(view))
        c = view.cycle
        summary = f"close netting cycle {c.reference or cycle_id} ({len(view.instructions)} instruction(s))"
        return await sod.submit(request, principal, "netting.close", {"kind": "cycle", "cycle_id": str(cycle_id)}, summary=summary, object_type="netting_cycle", object_id=str(cycle_id))

    return await run_idempotent(request, principal, handler)


@router.post(
    "/netting/partner-bank-settlements", status_code=202, response_model=M.ApprovalRequestOut, tags=["netting"],
    summary="Propose a payment institution's daily settlement with its partner bank (S7): posted once a second person approves",
    description=_POST_DOC + _FOUR_EYES + " The day's cycle (`partner-bank:<bank>:<date>`) is opened, filled and closed when approved.",
)
async def partner_bank_settlement(body: PartnerBankSettlementIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(CLOSE), _key: str = Depends(idempotency_key_header)):
    flows = []
    for i, f in enumerate(body.flows):
        check_currency(f.currency)
        flows.append({"direction": f.direction, "currency": f.currency, "amount_minor": parse_amount(f.amount, f.currency, field=f"flows[{i}].amount"), "reference": f.reference})
    params = {
        "kind": "partner_bank", "partner_bank_ref": body.partner_bank_ref, "business_date": body.business_date.isoformat(), "flows": flows,
        "reserve_account_ids": None if body.reserve_account_ids is None else {k: str(v) for k, v in body.reserve_account_ids.items()},
    }
    reference = NET.partner_cycle_reference(body.partner_bank_ref, body.business_date)

    async def handler(key: str) -> Response:
        summary = f"settle {reference} with the partner bank ({len(flows)} flow(s))"
        return await sod.submit(request, principal, "netting.close", params, summary=summary, object_type="netting_cycle", object_id=reference)

    return await run_idempotent(request, principal, handler)


async def _execute_close(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, row: Any) -> tuple[int, dict[str, Any]]:
    """``netting.close`` approved: close the cycle, or run the partner-bank day, as the checker."""
    actor = ADV.Actor(checker.actor_type, str(checker.actor_id), None)
    if params.get("kind") == "partner_bank":
        flows = [NET.PartnerBankFlow(f["direction"], f["currency"], int(f["amount_minor"]), f.get("reference")) for f in params["flows"]]
        reserve = {k: UUID(v) for k, v in (params.get("reserve_account_ids") or {}).items()} or None
        view = await NET.daily_partner_bank_settlement(
            ctx.ledger, institution_id, partner_bank_ref=params["partner_bank_ref"], business_date=date.fromisoformat(params["business_date"]), flows=flows,
            reserve_account_ids=reserve, actor=actor,
        )
    else:
        view = await NET.close_cycle(ctx.ledger, institution_id, UUID(params["cycle_id"]), actor=actor)
    return 200, jsonable_encoder(_cycle_out(view))


sod.register("netting.close", _execute_close)
