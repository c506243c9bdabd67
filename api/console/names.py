"""Names, not ids: the one place that names a ledger account for people.

* a customer's account ``cust:<id>:<kind>:<CUR>``: the customer's name, the
  account's role and the currency (``深圳市某某贸易有限公司 · 经常账户 · USD``);
* a loan's account ``loan:<id>:<component>``: the loan's number and the
  component (``贷款 L-3F9A0C21 · 本金``); the number is the last eight hex
  digits of the loan id (the random part of its UUIDv7: the leading digits
  are a timestamp and repeat between loans of the same minute);
* a merchant's advance accounts ``adv:<ref>:<role>:<CUR>``: the merchant's
  name (a provider's reference), the role and the currency;
* the institution's own accounts (``inst:<kind>:<CUR>``, ``fin:<kind>:<CUR>``):
  the role and the currency (``清算账户 · USD``);
* any other account: its name (its code when it has none) and the currency.

:func:`account_names` reads what the names need (the accounts, the
customers' decrypted names) in a few queries; :meth:`AccountName.label`
words the name in the user's language.  Ids stay available on hover (the
pages put the code and the id in a ``title`` attribute) and in the CSV.

:func:`search_accounts` is the account picker's search (name, code or
owner: the customer's name or reference); :func:`resolve_account` turns
what a form sent (an id, a code or a picked label) into one account id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.crypto import Keyring
from ledger.schema import accounts
from settlement.customers import reveal_many
from settlement.tables_customers import customers

from .i18n import N_, Gettext, gettext_for

SEP = " · "
#: the role words of account kinds (customer, institution and financing accounts, loan components)
ROLES = {
    "current": N_("current account"), "pending": N_("pending verification"), "suspense": N_("suspense"), "cny": N_("CNY account"),
    "nostro": N_("nostro"), "fx-position": N_("FX position"), "central": N_("central settlement"), "fee-income": N_("fee income"),
    "interest-income": N_("interest income"), "penalty-income": N_("penalty interest income"), "writeoff-expense": N_("write-off expense"),
    "settlement-clearing": N_("loan settlement clearing"), "loans-clearing": N_("loan settlement clearing"),
    "principal": N_("principal"), "interest": N_("interest"), "fees": N_("fees"), "penalty": N_("penalty interest"),
    "receivable": N_("advance receivable"), "payable": N_("advance payable"), "proceeds": N_("advance repayments"),
}
ADVANCE_ROLES = ("receivable", "payable", "proceeds")
LOAN = N_("Loan %(number)s")
#: most accounts one search returns; most customers a search reads
SEARCH_LIMIT = 20
CUSTOMER_SCAN = 20_000
CHUNK = 500


@dataclass(frozen=True)
class AccountName:
    id: UUID
    code: str
    currency: str
    kind: str  # customer | advance | loan | institution | other
    owner: str = ""  # the customer's name, the loan's number, or the account's own name
    role: str = ""  # a key of ROLES (or the raw kind when unknown)

    def label(self, t: Gettext) -> str:
        """The account's name in the user's language."""
        role = t(ROLES[self.role]) if self.role in ROLES else self.role
        if self.kind in ("customer", "advance"):
            return SEP.join((self.owner, role, self.currency))
        if self.kind == "loan":
            return SEP.join((t(LOAN, number=self.owner), role))
        if self.kind == "institution":
            return SEP.join((role, self.currency))
        return SEP.join((self.owner or self.code, self.currency))

    @property
    def hint(self) -> str:
        """What a hover shows: the code and the id."""
        return f"{self.code} · {self.id}"


def loan_number(loan_id: str) -> str:
    return "L-" + loan_id.replace("-", "")[-8:].upper()


def _customer_id(code: str) -> UUID | None:
    parts = code.split(":")
    if len(parts) == 4 and parts[0] == "cust":
        try:
            return UUID(parts[1])
        except ValueError:
            return None
    return None


def _advance_ref(code: str) -> str | None:
    parts = code.split(":")
    return parts[1] if len(parts) == 4 and parts[0] == "adv" and parts[2] in ADVANCE_ROLES else None


def _name(row: Any, customer_names: dict[UUID, str], by_ref: dict[str, str]) -> AccountName:
    code, cur = row.code, row.currency
    parts = code.split(":")
    cid = _customer_id(code)
    if cid is not None:
        return AccountName(row.id, code, cur, "customer", customer_names.get(cid) or str(cid)[:8], parts[2])
    ref = _advance_ref(code)
    if ref is not None:  # a merchant's advances under its customer name; a provider by its reference
        return AccountName(row.id, code, cur, "advance", by_ref.get(ref) or ref, parts[2])
    if len(parts) == 3 and parts[0] == "loan":
        return AccountName(row.id, code, cur, "loan", loan_number(parts[1]), parts[2])
    if len(parts) == 3 and parts[0] in ("inst", "fin") and parts[1] in ROLES:
        return AccountName(row.id, code, cur, "institution", "", parts[1])
    own = row.name if row.name and row.name != code else ""
    return AccountName(row.id, code, cur, "other", own or code)


async def _customer_names(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, ids: Iterable[UUID]) -> dict[UUID, str]:
    wanted = list(dict.fromkeys(ids))
    out: dict[UUID, str] = {}
    for i in range(0, len(wanted), CHUNK):
        for cid, personal in (await reveal_many(engine, keyring, institution_id, wanted[i:i + CHUNK])).items():
            out[cid] = personal.name
    return out


async def _named(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, rows: list[Any]) -> dict[UUID, AccountName]:
    cids = [c for c in (_customer_id(r.code) for r in rows) if c is not None]
    names = await _customer_names(engine, keyring, institution_id, cids)
    by_ref = await customer_names_by_ref(engine, keyring, institution_id, [x for x in (_advance_ref(r.code) for r in rows) if x])
    return {r.id: _name(r, names, by_ref) for r in rows}


_COLS = (accounts.c.id, accounts.c.code, accounts.c.name, accounts.c.currency)


async def account_names(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, account_ids: Iterable[UUID]) -> dict[UUID, AccountName]:
    """The names of these accounts of the institution (another institution's
    ids are simply absent)."""
    wanted = list(dict.fromkeys(account_ids))
    rows: list[Any] = []
    async with engine.connect() as conn:
        for i in range(0, len(wanted), CHUNK):
            stmt = select(*_COLS).where(accounts.c.institution_id == institution_id, accounts.c.id.in_(wanted[i:i + CHUNK]))
            rows.extend((await conn.execute(stmt)).all())
    return await _named(engine, keyring, institution_id, rows)


async def customer_names_by_ref(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, refs: Iterable[str]) -> dict[str, str]:
    """The names of the institution's customers with these references
    (merchant references of reports)."""
    wanted = list(dict.fromkeys(r for r in refs if r))
    ids: dict[UUID, str] = {}
    async with engine.connect() as conn:
        for i in range(0, len(wanted), CHUNK):
            stmt = select(customers.c.id, customers.c.ref).where(customers.c.institution_id == institution_id, customers.c.ref.in_(wanted[i:i + CHUNK]))
            ids.update({r.id: r.ref for r in await conn.execute(stmt)})
    return {ids[cid]: name for cid, name in (await _customer_names(engine, keyring, institution_id, ids)).items()}


async def _matching_customers(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, q: str) -> list[UUID]:
    """Customers whose reference or (decrypted) name contains ``q``."""
    async with engine.connect() as conn:
        rows = (await conn.execute(
            select(customers.c.id, customers.c.ref).where(customers.c.institution_id == institution_id).order_by(customers.c.id).limit(CUSTOMER_SCAN)
        )).all()
    low = q.casefold()
    hits = [r.id for r in rows if low in r.ref.casefold()]
    names = await _customer_names(engine, keyring, institution_id, [r.id for r in rows])
    hits += [cid for cid, name in names.items() if low in name.casefold()]
    return list(dict.fromkeys(hits))


async def search_accounts(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, q: str, *, limit: int = SEARCH_LIMIT) -> list[AccountName]:
    """Accounts whose code or name contains ``q``, or whose owner (the
    customer's name or reference) does; an id finds its account.  Open
    accounts only, at most ``limit``, by code."""
    q = q.strip()[:100]
    if not q:
        return []
    try:
        as_id: UUID | None = UUID(q)
    except ValueError:
        as_id = None
    if as_id is not None:
        return list((await account_names(engine, keyring, institution_id, [as_id])).values())
    pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    conds = [func.lower(accounts.c.code).like(pattern, escape="\\"), func.lower(accounts.c.name).like(pattern, escape="\\")]
    owners = await _matching_customers(engine, keyring, institution_id, q)
    if owners:
        conds.append(accounts.c.owner_ref.in_([str(c) for c in owners[:CHUNK]]))
    stmt = select(*_COLS).where(accounts.c.institution_id == institution_id, accounts.c.closed.is_(False), or_(*conds)).order_by(accounts.c.code).limit(limit)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    found = await _named(engine, keyring, institution_id, list(rows))
    return [found[r.id] for r in rows]


class AccountChoice(Exception):
    """What a form sent names no account, or more than one."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.message, self.text = message, text


NO_ACCOUNT = N_("No account matches %(text)r: pick one from the list (search by name, code or owner).")
AMBIGUOUS = N_("More than one account matches %(text)r: pick one from the list or enter its code.")


async def resolve_account(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, text: str, t: Gettext) -> UUID:
    """The one account ``text`` names: its id, its code, or its label as
    the picker offers it (in either language)."""
    text = text.strip()
    first = text.split(SEP)[0] if SEP in text else text
    candidates = await search_accounts(engine, keyring, institution_id, first, limit=200)
    # the label in either language is accepted (the picker offers the user's)
    exact = [a for a in candidates if text in (str(a.id), a.code, a.label(t), a.label(gettext_for("zh")), a.label(gettext_for("en")))]
    if len(exact) == 1:
        return exact[0].id
    raise AccountChoice(AMBIGUOUS if exact else NO_ACCOUNT, text[:100])
