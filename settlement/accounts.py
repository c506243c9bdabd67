"""Ledger account conventions of settlement: one place that names them.

Per customer (``owner_ref`` = the customer's id, metadata ``customer_id``):
  ``cust:<id>:current:<CUR>``   current-account FX account (liability, may not go negative)
  ``cust:<id>:pending:<CUR>``   export-receipts pending-verification account (liability)
  ``cust:<id>:suspense:<CUR>``  receipts that could not be routed, with a reason (liability)
  ``cust:<id>:cny:CNY``          the customer's CNY account (liability, may not go negative)
Per institution and currency:
  ``inst:nostro:<CUR>``        settlement (nostro/reserve) account where cash arrives (asset)
  ``inst:fx-position:<CUR>``   FX position account; conversions pass through it (equity)
  ``inst:central:<CUR>``       central settlement account of netting cycles (asset)
  ``inst:fee-income:<CUR>``    the institution's fee income (income)
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from uuid import UUID
from weakref import WeakKeyDictionary

from ledger.errors import DuplicateCode
from ledger.service import Ledger

SETTLEMENT_LEDGER_CODE = "settlement"

CUSTOMER_ACCOUNT_KINDS = {
    # kind: (type, debits_must_not_exceed_credits)
    "current": ("liability", True),
    "pending": ("liability", True),
    "suspense": ("liability", True),
    "cny": ("liability", True),
}
INSTITUTION_ACCOUNT_KINDS = {
    "nostro": ("asset", False),
    "fx-position": ("equity", False),
    "central": ("asset", False),
    "fee-income": ("income", False),
}


def customer_account_code(customer_id: UUID | str, kind: str, currency: str) -> str:
    if kind not in CUSTOMER_ACCOUNT_KINDS:
        raise ValueError(f"unknown customer account kind {kind!r}")
    return f"cust:{customer_id}:{kind}:{currency}"


def institution_account_code(kind: str, currency: str) -> str:
    if kind not in INSTITUTION_ACCOUNT_KINDS:
        raise ValueError(f"unknown institution account kind {kind!r}")
    return f"inst:{kind}:{currency}"


#: ids by code, per :class:`Ledger` (one database): a code names one ledger or
#: account for ever (neither is ever deleted or renamed), so what a process has
#: found or opened it need not look up again; each receipt asked for 9 of them
#: (#14).  Bounded: the least recently used are forgotten.
_KNOWN: WeakKeyDictionary[Ledger, OrderedDict[tuple[Any, ...], UUID]] = WeakKeyDictionary()
KNOWN_IDS_MAX = 100_000


def _known(ledger: Ledger, key: tuple[Any, ...]) -> UUID | None:
    ids = _KNOWN.get(ledger)
    found = None if ids is None else ids.get(key)
    if found is not None:
        ids.move_to_end(key)  # type: ignore[union-attr]
    return found


def _remember(ledger: Ledger, key: tuple[Any, ...], id_: UUID) -> UUID:
    ids = _KNOWN.setdefault(ledger, OrderedDict())
    ids[key] = id_
    if len(ids) > KNOWN_IDS_MAX:
        ids.popitem(last=False)
    return id_


async def settlement_ledger_id(ledger: Ledger, institution_id: UUID) -> UUID:
    """The institution's settlement ledger, created on first use."""
    key = ("ledger", institution_id, SETTLEMENT_LEDGER_CODE)
    known = _known(ledger, key)
    if known is not None:
        return known
    led = await ledger.find_ledger(institution_id, SETTLEMENT_LEDGER_CODE)
    if led is None:
        try:
            led = await ledger.create_ledger(institution_id, SETTLEMENT_LEDGER_CODE, "Settlement")
        except DuplicateCode:
            led = await ledger.find_ledger(institution_id, SETTLEMENT_LEDGER_CODE)
    assert led is not None  # another request created it
    return _remember(ledger, key, led.id)


async def ensure_account(ledger: Ledger, institution_id: UUID, ledger_id: UUID, code: str, currency: str, type_: str, *, flag: bool = False, owner_ref: str | None = None, metadata: dict[str, Any] | None = None) -> UUID:
    """The id of the account ``code``, opening it if needed (safe under races)."""
    key = ("account", institution_id, ledger_id, code)
    known = _known(ledger, key)
    if known is not None:
        return known
    acct = await ledger.find_account(institution_id, ledger_id, code)
    if acct is not None:
        return _remember(ledger, key, acct.id)
    try:
        acct = await ledger.create_account(
            institution_id, ledger_id, code, currency, type_, owner_ref=owner_ref, metadata=metadata or {}, debits_must_not_exceed_credits=flag,
        )
    except DuplicateCode:
        acct = await ledger.find_account(institution_id, ledger_id, code)
    assert acct is not None  # another request created it
    return _remember(ledger, key, acct.id)


async def institution_account(ledger: Ledger, institution_id: UUID, kind: str, currency: str) -> UUID:
    """The institution's ``kind`` account in ``currency`` (opened on first use)."""
    ledger_id = await settlement_ledger_id(ledger, institution_id)
    type_, flag = INSTITUTION_ACCOUNT_KINDS[kind]
    return await ensure_account(ledger, institution_id, ledger_id, institution_account_code(kind, currency), currency, type_, flag=flag, metadata={"institution_account": kind})


async def customer_account(ledger: Ledger, institution_id: UUID, customer_id: UUID, kind: str, currency: str) -> UUID:
    """The customer's ``kind`` account in ``currency`` (opened on first use)."""
    ledger_id = await settlement_ledger_id(ledger, institution_id)
    type_, flag = CUSTOMER_ACCOUNT_KINDS[kind]
    cur = "CNY" if kind == "cny" else currency
    return await ensure_account(
        ledger, institution_id, ledger_id, customer_account_code(customer_id, kind, cur), cur, type_, flag=flag,
        owner_ref=str(customer_id), metadata={"customer_id": str(customer_id), "account_kind": kind},
    )
