"""Customers: merchants and individuals (DOMAIN.md "Parties", Security).

A merchant is an enterprise, an individual trade operator (个人对外贸易经营者)
or an individual business (个体工商户), with a goods-trade FX management
class A / B / C and a directory registration (名录登记) flag; an individual
(个人跨境电商) has neither.  Personal data (name, ID number, phone) is stored
only encrypted (AES-GCM, key id in the ciphertext, bound to the row and
column), and the ID number is looked up by its keyed blind index.

Opening a customer opens its ledger accounts (``settlement.accounts``): per
foreign currency the current-account FX account, the export-receipts
pending-verification account and a suspense account, and one CNY account.

Every function that changes state writes an audit entry and an outbox event
in the same database transaction.  Functions taking ``db`` accept an engine
(they run their own transaction) or a connection (they run inside the
caller's transaction).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.clock import business_today, utc_now
from ledger.crypto import Keyring
from ledger.db import run_in_transaction
from ledger.errors import DuplicateCode, InvalidInput, LedgerError, NotFound
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.money import currency as check_currency
from ledger.service import Ledger
from ledger.service.core import MAX_ROWS

from .accounts import customer_account
from .config import SettlementConfig
from .tables_customers import customers

T = TypeVar("T")

ENTERPRISE = "enterprise"
INDIVIDUAL_TRADE_OPERATOR = "individual_trade_operator"
INDIVIDUAL_BUSINESS = "individual_business"
INDIVIDUAL = "individual"
MERCHANT_KINDS = (ENTERPRISE, INDIVIDUAL_TRADE_OPERATOR, INDIVIDUAL_BUSINESS)
CUSTOMER_KINDS = MERCHANT_KINDS + (INDIVIDUAL,)
FX_CLASSES = ("A", "B", "C")
#: accounts opened per foreign currency (the CNY account is opened once)
FX_ACCOUNT_KINDS = ("current", "pending", "suspense")

_REF_RE = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    title = "Customer not found"

    def __init__(self, ref: object) -> None:
        super().__init__("customer", ref)


@dataclass(slots=True)
class Customer:
    """A customer as rules read it.  Personal data is not on this object:
    ask :func:`reveal_personal_data` (audited)."""

    id: UUID
    institution_id: UUID
    ref: str
    kind: str
    fx_class: str | None
    directory_registered: bool
    registered_on: date | None
    negative_listed: bool
    negative_list_reason: str | None
    due_diligence_on: date | None
    due_diligence_by: str | None
    currencies: tuple[str, ...]
    has_id_number: bool
    created_at: datetime
    updated_at: datetime
    #: ledger accounts by ``"<kind>:<currency>"`` (filled by open_customer / add_currency)
    accounts: dict[str, UUID] = field(default_factory=dict)

    @property
    def is_merchant(self) -> bool:
        return self.kind in MERCHANT_KINDS

    @property
    def is_individual(self) -> bool:
        return self.kind == INDIVIDUAL

    def public(self) -> dict[str, Any]:
        """The non-personal attributes (what audit entries and events carry)."""
        return {
            "id": str(self.id),
            "ref": self.ref,
            "kind": self.kind,
            "fx_class": self.fx_class,
            "directory_registered": self.directory_registered,
            "registered_on": self.registered_on.isoformat() if self.registered_on else None,
            "negative_listed": self.negative_listed,
            "negative_list_reason": self.negative_list_reason,
            "due_diligence_on": self.due_diligence_on.isoformat() if self.due_diligence_on else None,
            "currencies": list(self.currencies),
        }


@dataclass(frozen=True, slots=True)
class PersonalData:
    name: str
    id_number: str | None
    phone: str | None

    def masked(self) -> PersonalData:
        return PersonalData(mask_name(self.name) or "", mask_id_number(self.id_number), mask_phone(self.phone))


# -- helpers -------------------------------------------------------------------------


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def _customer(row: Any) -> Customer:
    return Customer(
        id=row.id,
        institution_id=row.institution_id,
        ref=row.ref,
        kind=row.kind,
        fx_class=row.fx_class,
        directory_registered=bool(row.directory_registered),
        registered_on=row.registered_on,
        negative_listed=bool(row.negative_listed),
        negative_list_reason=row.negative_list_reason,
        due_diligence_on=row.due_diligence_on,
        due_diligence_by=row.due_diligence_by,
        currencies=tuple(row.currencies or ()),
        has_id_number=row.id_number_enc is not None,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


async def _run(db: AsyncEngine | AsyncConnection, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run ``work`` in the caller's transaction (a connection) or in a new
    one with the serialization-failure retry loop (an engine)."""
    if isinstance(db, AsyncConnection):
        return await work(db)
    return await run_in_transaction(db, work)


async def _read(db: AsyncEngine | AsyncConnection, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    if isinstance(db, AsyncConnection):
        return await work(db)
    async with db.connect() as conn:
        return await work(conn)


def _actor(actor: str) -> tuple[str, str]:
    return actor.split(":", 1)[0] or "system", actor


def _enc_context(customer_id: UUID, column: str) -> str:
    # bound as associated data: a ciphertext cannot be moved to another row or column
    return f"customer:{customer_id}:{column}"




class CustomerRule(LedgerError):
    """A rule across a customer's fields (merchants have an FX class,
    individuals an ID number and neither class nor directory registration,
    ...): the request is well-formed, the combination is refused."""

    code = "customer_rule"
    title = "Customer rule"


#: control characters (Unicode category Cc): refused in a customer's text fields
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(value: str | None, what: str, max_len: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    value = value.strip()
    if not value:
        return None
    if len(value) > max_len or _CONTROL.search(value):
        raise InvalidInput(f"{what} must be 1..{max_len} characters without control characters")
    return value


def _check_currencies(currencies: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for c in currencies:
        check_currency(c)
        if c == "CNY":
            raise CustomerRule("currencies lists foreign currencies; the CNY account is always opened", currency=c)
        if c not in out:
            out.append(c)
    return tuple(out)


def customer_id_index(keyring: Keyring, id_number: str) -> str:
    """The keyed blind index of an ID number (HMAC-SHA256 of the normalised
    number).  The same person has the same index at every institution of the
    deployment: the national registries (quota, watch list) are keyed by it."""
    return keyring.blind_index(id_number, purpose="id-number")


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * min(len(name) - 1, 8)


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    if len(value) <= 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# -- opening -----------------------------------------------------------------------------


async def open_customer(
    ledger: Ledger,
    keyring: Keyring,
    institution_id: UUID,
    *,
    ref: str,
    kind: str,
    name: str,
    id_number: str | None = None,
    phone: str | None = None,
    fx_class: str | None = None,
    directory_registered: bool = False,
    registered_on: date | None = None,
    currencies: Iterable[str] = ("USD",),
    actor: str = "system",
    request_id: str | None = None,
) -> Customer:
    """Open a customer and its accounts.

    Merchants (every kind but ``individual``) need ``fx_class`` A/B/C;
    individuals need ``id_number`` (the annual quota is counted on it) and
    have no FX class.  Raises :class:`DuplicateCode` when ``ref`` is already
    used at the institution, :class:`InvalidInput`, :class:`UnknownCurrency`.
    """
    if not isinstance(ref, str) or not _REF_RE.match(ref):
        raise InvalidInput("customer ref must be 1..64 characters of A-Z a-z 0-9 _ . : -", ref=str(ref)[:80])
    if kind not in CUSTOMER_KINDS:
        raise InvalidInput(f"customer kind must be one of {', '.join(CUSTOMER_KINDS)}", kind=str(kind))
    clean_name = _clean(name, "name", 200)
    if clean_name is None:
        raise InvalidInput("a customer needs a name")
    name = clean_name
    id_number = _clean(id_number, "id_number", 64)
    phone = _clean(phone, "phone", 32)
    if kind == INDIVIDUAL:
        if fx_class is not None:
            raise CustomerRule("individuals have no FX management class", fx_class=fx_class)
        if id_number is None:
            raise CustomerRule("an individual needs an ID number (the annual quota is counted on it)")
        if directory_registered:
            raise CustomerRule("directory registration applies to merchants, not individuals")
    elif fx_class not in FX_CLASSES:
        raise CustomerRule(f"a merchant needs an FX management class, one of {', '.join(FX_CLASSES)}", fx_class=str(fx_class))
    curs = _check_currencies(currencies)
    if registered_on is not None and not directory_registered:
        raise CustomerRule("registered_on given for an unregistered customer")
    if directory_registered and registered_on is None:
        registered_on = business_today(SettlementConfig.regulatory_timezone)

    cid = uuid7()
    now = utc_now()
    row = dict(
        id=cid,
        institution_id=institution_id,
        ref=ref,
        kind=kind,
        fx_class=fx_class,
        directory_registered=bool(directory_registered),
        registered_on=registered_on,
        negative_listed=False,
        negative_list_reason=None,
        due_diligence_on=None,
        due_diligence_by=None,
        name_enc=keyring.encrypt(name, context=_enc_context(cid, "name")),
        id_number_enc=None if id_number is None else keyring.encrypt(id_number, context=_enc_context(cid, "id_number")),
        phone_enc=None if phone is None else keyring.encrypt(phone, context=_enc_context(cid, "phone")),
        id_index=None if id_number is None else customer_id_index(keyring, id_number),
        currencies=list(curs),
        created_at=now,
        updated_at=now,
    )
    actor_type, actor_id = _actor(actor)

    async def work(conn: AsyncConnection) -> Customer:
        dup = (await conn.execute(select(customers.c.id).where(customers.c.institution_id == institution_id, customers.c.ref == ref))).first()
        if dup is not None:
            raise DuplicateCode("customer", ref)
        await conn.execute(customers.insert().values(**row))
        cust = _customer(SimpleNamespace(**row))
        await record_audit(
            conn, institution_id=institution_id, actor_type=actor_type, actor_id=actor_id, action="customer.open",
            object_type="customer", object_id=str(cid), after=cust.public(), request_id=request_id,
        )
        await emit_event(conn, institution_id, "customer.opened", {"customer_id": str(cid), "ref": ref, "kind": kind})
        return cust

    try:
        cust = await run_in_transaction(ledger.engine, work)
    except IntegrityError as exc:
        if "foreign" in str(exc.orig).lower():
            raise NotFound("institution", institution_id) from None
        raise DuplicateCode("customer", ref) from None
    cust.accounts = await ensure_customer_accounts(ledger, institution_id, cust.id, cust.currencies)
    return cust


async def ensure_customer_accounts(ledger: Ledger, institution_id: UUID, customer_id: UUID, currencies: Iterable[str]) -> dict[str, UUID]:
    """Open (or find) the customer's accounts in ``currencies`` and its CNY
    account.  Safe to repeat: it is how an interrupted opening is completed."""
    out: dict[str, UUID] = {}
    for cur in currencies:
        for kind in FX_ACCOUNT_KINDS:
            out[f"{kind}:{cur}"] = await customer_account(ledger, institution_id, customer_id, kind, cur)
    out["cny:CNY"] = await customer_account(ledger, institution_id, customer_id, "cny", "CNY")
    return out


# -- reading ---------------------------------------------------------------------------------


async def get_customer(db: AsyncEngine | AsyncConnection, institution_id: UUID, customer_id: UUID) -> Customer:
    """The customer, or :class:`CustomerNotFound` (also for another institution's id)."""

    async def work(conn: AsyncConnection) -> Customer:
        row = (await conn.execute(select(customers).where(customers.c.id == customer_id, customers.c.institution_id == institution_id))).first()
        if row is None:
            raise CustomerNotFound(customer_id)
        return _customer(row)

    return await _read(db, work)


async def find_customer_by_ref(db: AsyncEngine | AsyncConnection, institution_id: UUID, ref: str) -> Customer | None:
    async def work(conn: AsyncConnection) -> Customer | None:
        row = (await conn.execute(select(customers).where(customers.c.institution_id == institution_id, customers.c.ref == ref))).first()
        return None if row is None else _customer(row)

    return await _read(db, work)


async def find_customers_by_id_number(db: AsyncEngine | AsyncConnection, keyring: Keyring, institution_id: UUID, id_number: str) -> list[Customer]:
    """The institution's customers with this ID number, found through the
    blind index (the number itself is never compared in the database)."""
    if not isinstance(id_number, str) or not id_number.strip():
        raise InvalidInput("id_number is empty")
    index = customer_id_index(keyring, id_number)

    async def work(conn: AsyncConnection) -> list[Customer]:
        rows = await conn.execute(
            select(customers).where(customers.c.institution_id == institution_id, customers.c.id_index == index).order_by(customers.c.id)
        )
        return [_customer(r) for r in rows]

    return await _read(db, work)


async def list_customers(
    db: AsyncEngine | AsyncConnection, institution_id: UUID, *, kind: str | None = None, after: UUID | None = None, limit: int = 100
) -> list[Customer]:
    """Customers in creation order (keyset pagination on the id)."""
    stmt = select(customers).where(customers.c.institution_id == institution_id)
    if kind is not None:
        stmt = stmt.where(customers.c.kind == kind)
    if after is not None:
        stmt = stmt.where(customers.c.id > after)
    stmt = stmt.order_by(customers.c.id).limit(max(1, min(int(limit), MAX_ROWS)))

    async def work(conn: AsyncConnection) -> list[Customer]:
        return [_customer(r) for r in await conn.execute(stmt)]

    return await _read(db, work)


async def reveal_personal_data(
    db: AsyncEngine | AsyncConnection,
    keyring: Keyring,
    institution_id: UUID,
    customer_id: UUID,
    *,
    actor: str | None = None,
    request_id: str | None = None,
) -> PersonalData:
    """Decrypt the customer's personal data.  With ``actor`` the access is
    recorded in the audit log (what was read, never the values)."""

    async def work(conn: AsyncConnection) -> Any:
        row = (
            await conn.execute(
                select(customers.c.name_enc, customers.c.id_number_enc, customers.c.phone_enc).where(
                    customers.c.id == customer_id, customers.c.institution_id == institution_id
                )
            )
        ).first()
        if row is None:
            raise CustomerNotFound(customer_id)
        if actor is not None:
            actor_type, actor_id = _actor(actor)
            await record_audit(
                conn, institution_id=institution_id, actor_type=actor_type, actor_id=actor_id, action="customer.reveal_personal_data",
                object_type="customer", object_id=str(customer_id), request_id=request_id,
            )
        return row

    row = await (_run(db, work) if actor is not None else _read(db, work))
    return _decrypt(keyring, customer_id, row)


def _decrypt(keyring: Keyring, customer_id: UUID, row: Any) -> PersonalData:
    return PersonalData(
        name=keyring.decrypt(row.name_enc, context=_enc_context(customer_id, "name")),
        id_number=None if row.id_number_enc is None else keyring.decrypt(row.id_number_enc, context=_enc_context(customer_id, "id_number")),
        phone=None if row.phone_enc is None else keyring.decrypt(row.phone_enc, context=_enc_context(customer_id, "phone")),
    )


@dataclass(slots=True)
class CustomerPage:
    """Customers with their personal data (decrypted), and the key of the next page."""

    items: list[Customer]
    personal: dict[UUID, PersonalData]
    next_after: UUID | None


async def customer_page(
    engine: AsyncEngine, keyring: Keyring, institution_id: UUID, *, ref: str | None = None, kind: str | None = None, after: UUID | None = None, limit: int = 100,
) -> CustomerPage:
    """One page of customers in id order (or the one with ``ref``, if of
    ``kind``), with their personal data."""
    if ref is not None:
        found = await find_customer_by_ref(engine, institution_id, ref)
        items, more = ([found] if found and (kind is None or found.kind == kind) else []), False
    else:
        items = await list_customers(engine, institution_id, kind=kind, after=after, limit=limit + 1)
        more = len(items) > limit
        items = items[:limit]
    personal = await reveal_many(engine, keyring, institution_id, [c.id for c in items])
    return CustomerPage(items, personal, items[-1].id if more and items else None)


async def search_by_id_number(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, id_number: str) -> CustomerPage:
    """The customers with this ID number (blind index), with their personal data."""
    items = await find_customers_by_id_number(engine, keyring, institution_id, id_number)
    return CustomerPage(items, await reveal_many(engine, keyring, institution_id, [c.id for c in items]), None)


async def reveal_many(db: AsyncEngine | AsyncConnection, keyring: Keyring, institution_id: UUID, customer_ids: list[UUID]) -> dict[UUID, PersonalData]:
    """Personal data of several customers (for listings; not audited)."""
    if not customer_ids:
        return {}

    async def work(conn: AsyncConnection) -> Any:
        return (
            await conn.execute(
                select(customers.c.id, customers.c.name_enc, customers.c.id_number_enc, customers.c.phone_enc).where(
                    customers.c.institution_id == institution_id, customers.c.id.in_(customer_ids)
                )
            )
        ).all()

    return {r.id: _decrypt(keyring, r.id, r) for r in await _read(db, work)}


# -- changes --------------------------------------------------------------------------------


async def _change(
    db: AsyncEngine | AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    action: str,
    event_type: str,
    decide: Callable[[Customer], dict[str, Any]],
    actor: str,
    request_id: str | None,
) -> Customer:
    """Read the customer (locked on PostgreSQL), let ``decide`` validate and
    return the new values, write them with an audit entry and an event."""
    actor_type, actor_id = _actor(actor)

    async def work(conn: AsyncConnection) -> Customer:
        stmt = select(customers).where(customers.c.id == customer_id, customers.c.institution_id == institution_id)
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = (await conn.execute(stmt)).first()
        if row is None:
            raise CustomerNotFound(customer_id)
        before = _customer(row)
        values = decide(before)
        values["updated_at"] = utc_now()
        await conn.execute(update(customers).where(customers.c.id == customer_id).values(**values))
        after = _customer((await conn.execute(select(customers).where(customers.c.id == customer_id))).one())
        b, a = before.public(), after.public()
        changed = {k for k in a if a[k] != b[k]}
        await record_audit(
            conn, institution_id=institution_id, actor_type=actor_type, actor_id=actor_id, action=action, object_type="customer",
            object_id=str(customer_id), before={k: b[k] for k in changed}, after={k: a[k] for k in changed}, request_id=request_id,
        )
        await emit_event(conn, institution_id, event_type, {"customer_id": str(customer_id), "ref": after.ref, **{k: a[k] for k in changed}})
        return after

    return await _run(db, work)


async def set_fx_class(
    db: AsyncEngine | AsyncConnection, institution_id: UUID, customer_id: UUID, fx_class: str, *, actor: str = "system", request_id: str | None = None
) -> Customer:
    """Change a merchant's FX management class (A/B/C).  Raises
    :class:`InvalidInput` for an individual or an unknown class."""
    if fx_class not in FX_CLASSES:
        raise InvalidInput(f"FX management class must be one of {', '.join(FX_CLASSES)}", fx_class=str(fx_class))

    def decide(c: Customer) -> dict[str, Any]:
        if c.is_individual:
            raise CustomerRule("individuals have no FX management class")
        return {"fx_class": fx_class}

    return await _change(db, institution_id, customer_id, "customer.set_fx_class", "customer.fx_class_changed", decide, actor, request_id)


async def record_registration(
    db: AsyncEngine | AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    *,
    registered_on: date | None = None,
    actor: str = "system",
    request_id: str | None = None,
) -> Customer:
    """Record the merchant's directory registration (名录登记) on
    ``registered_on`` (default: today in China Standard Time).  Emits
    ``customer.registered`` (receipts held for ``registration_required``
    are released on it, S6)."""

    def decide(c: Customer) -> dict[str, Any]:
        if c.is_individual:
            raise CustomerRule("directory registration applies to merchants, not individuals")
        return {"directory_registered": True, "registered_on": registered_on or business_today(SettlementConfig.regulatory_timezone)}

    return await _change(db, institution_id, customer_id, "customer.record_registration", "customer.registered", decide, actor, request_id)


async def set_negative_list(
    db: AsyncEngine | AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    listed: bool,
    *,
    reason: str | None = None,
    actor: str = "system",
    request_id: str | None = None,
) -> Customer:
    """Put the customer on (or take it off) the negative list (S9, F1)."""
    reason = _clean(reason, "reason", 200)
    if listed and reason is None:
        raise CustomerRule("putting a customer on the negative list needs a reason")

    def decide(c: Customer) -> dict[str, Any]:
        return {"negative_listed": bool(listed), "negative_list_reason": reason if listed else None}

    return await _change(db, institution_id, customer_id, "customer.set_negative_list", "customer.negative_list_changed", decide, actor, request_id)


async def record_due_diligence(
    db: AsyncEngine | AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    *,
    checked_on: date | None = None,
    actor: str = "system",
    request_id: str | None = None,
) -> Customer:
    """Record that know-your-customer / due-diligence checks (展业三原则)
    were done on ``checked_on`` (default today, China Standard Time)."""

    def decide(c: Customer) -> dict[str, Any]:
        return {"due_diligence_on": checked_on or business_today(SettlementConfig.regulatory_timezone), "due_diligence_by": actor[:64]}

    return await _change(db, institution_id, customer_id, "customer.record_due_diligence", "customer.due_diligence_recorded", decide, actor, request_id)


async def add_currency(
    ledger: Ledger, institution_id: UUID, customer_id: UUID, currency: str, *, actor: str = "system", request_id: str | None = None
) -> Customer:
    """Open the customer's accounts in a further foreign currency (no-op if
    it already has them).  Raises :class:`UnknownCurrency`, :class:`InvalidInput`."""
    (cur,) = _check_currencies([currency])

    def decide(c: Customer) -> dict[str, Any]:
        return {"currencies": list(c.currencies) + ([cur] if cur not in c.currencies else [])}

    cust = await _change(ledger.engine, institution_id, customer_id, "customer.add_currency", "customer.currency_added", decide, actor, request_id)
    cust.accounts = await ensure_customer_accounts(ledger, institution_id, customer_id, cust.currencies)
    return cust


async def customer_accounts(ledger: Ledger, institution_id: UUID, customer_id: UUID) -> dict[str, UUID]:
    """The customer's ledger accounts by ``"<kind>:<currency>"``."""
    await get_customer(ledger.engine, institution_id, customer_id)
    accts = await ledger.list_accounts(institution_id, owner_ref=str(customer_id), limit=1000)
    return {f"{a.metadata.get('account_kind')}:{a.currency}": a.id for a in accts if a.metadata.get("customer_id") == str(customer_id)}
