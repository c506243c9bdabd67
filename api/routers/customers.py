"""Customer routes: merchants and individuals, their accounts, FX class,
directory registration, negative list.  Personal data is returned in clear
only to the institution's system and admins; other staff see it masked."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.crypto import Keyring
from settlement import customers as C

from ..auth import Principal, require
from ..deps import EngineDep, KeyringDep, LedgerDep
from ..fields import IsoDate, StrictBool
from ..idempotency import idempotency_key_header, run_idempotent
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1", tags=["customers"], responses=COMMON_ERRORS)

READ = require("system", "admin", "finance", "approver", scope="customers:read")
WRITE = require("system", "admin", scope="customers:write")
#: roles that see personal data in clear
CLEAR_ROLES = frozenset({"system", "admin"})
#: ``?limit=`` (default 50, at most 1000) and ``?cursor=`` of the list
PAGE = page_query()

CustomerRef = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$", examples=["M-1001"])]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["USD"])]
#: text without control characters (Unicode Cc) ...
_TEXT = r"^[^\x00-\x1f\x7f-\x9f]*$"
#: ... and not only white space
_NON_BLANK = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"ref": "M-1001", "kind": "enterprise", "name": "Shenzhen Bright Trade Co., Ltd.", "id_number": "91440300MA5EXAMPLE", "phone": "+8675512345678",
         "fx_class": "A", "directory_registered": True, "registered_on": "2026-03-01", "currencies": ["USD", "EUR"]},
        {"ref": "P-2001", "kind": "individual", "name": "Li Hua", "id_number": "110101199003071234", "currencies": ["USD"]},
    ]})
    ref: CustomerRef = Field(description="the institution's reference; trade data and SME users name the merchant by it")
    kind: Literal["enterprise", "individual_trade_operator", "individual_business", "individual"]
    name: str = Field(min_length=1, max_length=200, pattern=_NON_BLANK, description="personal data: stored encrypted")
    id_number: str | None = Field(
        default=None, max_length=64, pattern=_TEXT,
        description="ID card number or unified social credit code; stored encrypted, found by a blind index. Required for individuals (else 422 `customer_rule`)",
    )
    phone: str | None = Field(default=None, max_length=32, pattern=_TEXT, description="stored encrypted")
    fx_class: Literal["A", "B", "C"] | None = Field(
        default=None,
        description="goods-trade FX management class; required for merchants, absent for individuals. The rules across fields (this one, an individual's ID number, "
        "directory registration only for merchants, `registered_on` only when registered, no CNY in `currencies`) are refused with 422 `customer_rule`",
    )
    directory_registered: StrictBool = False
    registered_on: IsoDate | None = None
    currencies: list[CurrencyCode] = Field(default_factory=lambda: ["USD"], max_length=20, description="foreign currencies to open accounts in (the CNY account is always opened)")


class PersonalDataOut(BaseModel):
    name: str | None
    id_number: str | None
    phone: str | None
    masked: bool = Field(description="true when shown masked (staff other than admins)")


class CustomerOut(BaseModel):
    id: UUID
    ref: str
    kind: str
    fx_class: str | None
    directory_registered: bool
    registered_on: date | None
    negative_listed: bool
    negative_list_reason: str | None
    due_diligence_on: date | None
    currencies: list[str]
    personal_data: PersonalDataOut
    created_at: datetime
    updated_at: datetime


class CustomerAccountOut(BaseModel):
    kind: str = Field(description="current | pending | suspense | cny")
    currency: str
    account_id: UUID


class IdNumberSearchIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"id_number": "110101199003071234"}]})
    id_number: str = Field(min_length=1, max_length=64, pattern=_NON_BLANK)


class FxClassIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"fx_class": "B"}]})
    fx_class: Literal["A", "B", "C"]


class RegistrationIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"registered_on": "2026-12-01"}, {}]})
    registered_on: IsoDate | None = Field(default=None, description="default: today (China Standard Time)")


class NegativeListIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"listed": True, "reason": "sanctions screening hit"}, {"listed": False}]})
    listed: StrictBool
    reason: str | None = Field(default=None, max_length=200, pattern=_TEXT, description="required when listing (else 422 `customer_rule`)")


class DueDiligenceIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"checked_on": "2026-12-01"}, {}]})
    checked_on: IsoDate | None = Field(default=None, description="default: today (China Standard Time)")


class CurrencyIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"currency": "EUR"}]})
    currency: CurrencyCode


def _rid(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def _out(c: C.Customer, pd: C.PersonalData | None, principal: Principal, *, mask: bool = False) -> CustomerOut:
    clear = principal.role in CLEAR_ROLES and not mask
    if pd is not None and not clear:
        pd = pd.masked()
    return CustomerOut(
        id=c.id, ref=c.ref, kind=c.kind, fx_class=c.fx_class, directory_registered=c.directory_registered, registered_on=c.registered_on,
        negative_listed=c.negative_listed, negative_list_reason=c.negative_list_reason, due_diligence_on=c.due_diligence_on,
        currencies=list(c.currencies), created_at=c.created_at, updated_at=c.updated_at,
        personal_data=PersonalDataOut(
            name=pd.name if pd else None, id_number=pd.id_number if pd else None, phone=pd.phone if pd else None, masked=not clear,
        ),
    )


def _list_out(found: C.CustomerPage, page: PageQuery, principal: Principal) -> Page[CustomerOut]:
    """``found`` holds up to ``page.limit + 1`` customers (the extra one only tells that more follow)."""
    return page.build("customers", found.items, key=lambda c: [str(c.id)], out=lambda c: _out(c, found.personal.get(c.id), principal))


async def _render(engine: AsyncEngine, keyring: Keyring, request: Request, principal: Principal, c: C.Customer) -> CustomerOut:
    pd = await C.reveal_personal_data(
        engine, keyring, principal.institution_id, c.id, actor=principal.actor if principal.role in CLEAR_ROLES else None, request_id=_rid(request)
    )
    return _out(c, pd, principal)


async def _customer_for_read(customer_id: UUID, engine: EngineDep, principal: Principal = Depends(READ)) -> tuple[Principal, C.Customer]:
    """The caller's customer, or 404 (before any request body is read)."""
    return principal, await C.get_customer(engine, principal.institution_id, customer_id)


async def _customer_for_write(customer_id: UUID, engine: EngineDep, principal: Principal = Depends(WRITE)) -> tuple[Principal, C.Customer]:
    return principal, await C.get_customer(engine, principal.institution_id, customer_id)


@router.post(
    "/customers", status_code=201, response_model=CustomerOut, summary="Open a customer and its accounts",
    description="Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte; the key with another body is 422. "
    "The response shows the personal data masked (it is stored for replays); `GET /v1/customers/{id}` shows it in clear to the system and admins.",
)
async def open_customer(body: CustomerIn, request: Request, ledger: LedgerDep, keyring: KeyringDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        c = await C.open_customer(
            ledger, keyring, principal.institution_id, ref=body.ref, kind=body.kind, name=body.name, id_number=body.id_number, phone=body.phone,
            fx_class=body.fx_class, directory_registered=body.directory_registered, registered_on=body.registered_on, currencies=body.currencies,
            actor=principal.actor, request_id=_rid(request),
        )
        # masked for every role: the response is kept for replays (Idempotency-Key), and personal data is never stored in clear
        out = _out(c, C.PersonalData(body.name.strip(), (body.id_number or "").strip() or None, (body.phone or "").strip() or None), principal, mask=True)
        return Response(content=json.dumps(jsonable_encoder(out), separators=(",", ":")).encode(), status_code=201, media_type="application/json")

    return await run_idempotent(request, principal, handler)


def _after_id(page: PageQuery, kind: str) -> UUID | None:
    key = page.after(kind)
    try:
        return None if key is None else UUID(str(key[0]))
    except (ValueError, IndexError):
        raise invalid_cursor("this cursor belongs to another list (or was altered)") from None


@router.get("/customers", response_model=Page[CustomerOut], summary="List customers in the order opened (or find one by ref)")
async def list_customers(
    engine: EngineDep,
    keyring: KeyringDep,
    ref: str | None = Query(default=None, max_length=64),
    kind: Literal["enterprise", "individual_trade_operator", "individual_business", "individual"] | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    found = await C.customer_page(engine, keyring, principal.institution_id, ref=ref, kind=kind, after=_after_id(page, "customers"), limit=page.limit + 1)
    return _list_out(found, page, principal)


@router.post("/customers/search", response_model=Page[CustomerOut], summary="Find customers by ID number (blind index; the number never appears in a URL)")
async def search_by_id_number(body: IdNumberSearchIn, engine: EngineDep, keyring: KeyringDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)):
    found = await C.search_by_id_number(engine, keyring, principal.institution_id, body.id_number)
    after = _after_id(page, "customers")
    found.items = sorted((c for c in found.items if after is None or c.id > after), key=lambda c: c.id)[: page.limit + 1]
    return _list_out(found, page, principal)


@router.get("/customers/{customer_id}", response_model=CustomerOut, summary="Get a customer")
async def get_customer(request: Request, engine: EngineDep, keyring: KeyringDep, found: tuple[Principal, C.Customer] = Depends(_customer_for_read)):
    principal, c = found
    return await _render(engine, keyring, request, principal, c)


@router.get("/customers/{customer_id}/accounts", response_model=Page[CustomerAccountOut], summary="The customer's ledger accounts, by kind and currency")
async def customer_accounts(ledger: LedgerDep, page: PageQuery = Depends(PAGE), found: tuple[Principal, C.Customer] = Depends(_customer_for_read)):
    principal, c = found
    after = page.after("customer_accounts")
    accts = await C.customer_accounts(ledger, principal.institution_id, c.id)
    rows = [CustomerAccountOut(kind=label.split(":", 1)[0], currency=label.split(":", 1)[1], account_id=acct_id) for label, acct_id in accts.items()]
    rows.sort(key=lambda r: (r.kind, r.currency))
    if after is not None:
        rows = [r for r in rows if [r.kind, r.currency] > [str(k) for k in after]]
    return page.build("customer_accounts", rows[: page.limit + 1], key=lambda r: [r.kind, r.currency], out=lambda r: r)


@router.post("/customers/{customer_id}/fx-class", response_model=CustomerOut, summary="Change a merchant's FX management class")
async def set_fx_class(body: FxClassIn, request: Request, engine: EngineDep, keyring: KeyringDep, found: tuple[Principal, C.Customer] = Depends(_customer_for_write)):
    principal, c = found
    c = await C.set_fx_class(engine, principal.institution_id, c.id, body.fx_class, actor=principal.actor, request_id=_rid(request))
    return await _render(engine, keyring, request, principal, c)


@router.post("/customers/{customer_id}/registration", response_model=CustomerOut, summary="Record the merchant's directory registration")
async def record_registration(body: RegistrationIn, request: Request, engine: EngineDep, keyring: KeyringDep, found: tuple[Principal, C.Customer] = Depends(_customer_for_write)):
    principal, c = found
    c = await C.record_registration(engine, principal.institution_id, c.id, registered_on=body.registered_on, actor=principal.actor, request_id=_rid(request))
    return await _render(engine, keyring, request, principal, c)


@router.post("/customers/{customer_id}/negative-list", response_model=CustomerOut, summary="Put a customer on (or take it off) the negative list")
async def set_negative_list(body: NegativeListIn, request: Request, engine: EngineDep, keyring: KeyringDep, found: tuple[Principal, C.Customer] = Depends(_customer_for_write)):
    principal, c = found
    c = await C.set_negative_list(engine, principal.institution_id, c.id, body.listed, reason=body.reason, actor=principal.actor, request_id=_rid(request))
    return await _render(engine, keyring, request, principal, c)


@router.post("/customers/{customer_id}/due-diligence", response_model=CustomerOut, summary="Record know-your-customer / due-diligence checks")
async def record_due_diligence(body: DueDiligenceIn, request: Request, engine: EngineDep, keyring: KeyringDep, found: tuple[Principal, C.Customer] = Depends(_customer_for_write)):
    principal, c = found
    c = await C.record_due_diligence(engine, principal.institution_id, c.id, checked_on=body.checked_on, actor=principal.actor, request_id=_rid(request))
    return await _render(engine, keyring, request, principal, c)


@router.post("/customers/{customer_id}/currencies", response_model=CustomerOut, summary="Open the customer's accounts in a further currency")
async def add_currency(body: CurrencyIn, request: Request, ledger: LedgerDep, engine: EngineDep, keyring: KeyringDep, found: tuple[Principal, C.Customer] = Depends(_customer_for_write)):
    principal, c = found
    c = await C.add_currency(ledger, principal.institution_id, c.id, body.currency, actor=principal.actor, request_id=_rid(request))
    return await _render(engine, keyring, request, principal, c)
