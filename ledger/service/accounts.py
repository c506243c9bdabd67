"""Institutions, ledgers and accounts: opening, finding, listing, closing."""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import chain as chainmod
from .. import errors as E
from ..clock import utc_now
from ..ids import uuid7
from ..model import Account, Institution, LedgerInfo
from ..money import currency as check_currency
from ..schema import ACCOUNT_TYPES, accounts, institutions, ledgers
from .core import MAX_ROWS, AnyRow, LedgerCore, account_of, check_code, institution_of, ledger_of

INSTITUTION_KINDS = ("bank", "payment_institution", "operator")


class AccountsMixin(LedgerCore):
    """Tenants, their ledgers and accounts."""

    # -- institutions ------------------------------------------------------

    async def create_institution(self, code: str, name: str, kind: str = "bank") -> Institution:
        """Create a tenant.  Raises :class:`DuplicateCode`, :class:`InvalidInput`."""
        if kind not in INSTITUTION_KINDS:
            raise E.InvalidInput(f"unknown institution kind {kind!r}")
        check_code(code, "institution")
        inst = Institution(uuid7(), code, name or code, kind, utc_now())

        async def work(conn: AsyncConnection) -> None:
            await conn.execute(institutions.insert().values(id=inst.id, code=code, name=inst.name, kind=kind, created_at=inst.created_at))

        try:
            await self._tx(work)
        except IntegrityError:
            raise E.DuplicateCode("institution", code) from None
        return inst

    async def get_institution(self, institution_id: UUID) -> Institution:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(institutions).where(institutions.c.id == institution_id))).first()
        if row is None:
            raise E.NotFound("institution", institution_id)
        return institution_of(row)

    async def find_institution(self, code: str) -> Institution | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(institutions).where(institutions.c.code == code))).first()
        return None if row is None else institution_of(row)

    # -- ledgers -----------------------------------------------------------

    async def create_ledger(self, institution_id: UUID, code: str, name: str = "") -> LedgerInfo:
        check_code(code, "ledger")
        now = utc_now()
        lid = uuid7()

        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                ledgers.insert().values(
                    id=lid, institution_id=institution_id, code=code, name=name or code, created_at=now, chain_seq=0, chain_head=chainmod.GENESIS
                )
            )

        try:
            await self._tx(work)
        except IntegrityError as exc:
            if "institution" in str(exc.orig).lower() and "foreign" in str(exc.orig).lower():
                raise E.NotFound("institution", institution_id) from None
            raise E.DuplicateCode("ledger", code) from None
        return LedgerInfo(lid, institution_id, code, name or code, now, 0, chainmod.GENESIS)

    async def get_ledger(self, institution_id: UUID, ledger_id: UUID) -> LedgerInfo:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(ledgers).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first()
        if row is None:
            raise E.LedgerNotFound(ledger_id)
        return ledger_of(row)

    async def find_ledger(self, institution_id: UUID, code: str) -> LedgerInfo | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(ledgers).where(ledgers.c.code == code, ledgers.c.institution_id == institution_id))).first()
        return None if row is None else ledger_of(row)

    async def list_ledgers(self, institution_id: UUID, *, after_code: str | None = None, limit: int | None = None) -> list[LedgerInfo]:
        """The institution's ledgers ordered by code (codes are unique per
        institution): all of them, or up to ``limit`` after ``after_code``."""
        stmt = select(ledgers).where(ledgers.c.institution_id == institution_id)
        if after_code is not None:
            stmt = stmt.where(ledgers.c.code > after_code)
        stmt = stmt.order_by(ledgers.c.code)
        if limit is not None:
            stmt = stmt.limit(max(1, min(limit, MAX_ROWS)))
        async with self.engine.connect() as conn:
            rows = await conn.execute(stmt)
            return [ledger_of(r) for r in rows]

    # -- accounts ----------------------------------------------------------

    async def create_account(
        self,
        institution_id: UUID,
        ledger_id: UUID,
        code: str,
        currency: str,
        type: str,
        *,
        name: str = "",
        owner_ref: str | None = None,
        metadata: dict[str, Any] | None = None,
        debits_must_not_exceed_credits: bool = False,
        credits_must_not_exceed_debits: bool = False,
        conn: AsyncConnection | None = None,
    ) -> Account:
        """Open an account.  Raises :class:`UnknownCurrency`,
        :class:`InvalidInput`, :class:`LedgerNotFound`, :class:`DuplicateCode`.
        With ``conn`` it runs inside the caller's transaction."""
        _check_account_request(code, currency, type, owner_ref, metadata, debits_must_not_exceed_credits, credits_must_not_exceed_debits)
        account = Account(
            id=uuid7(),
            institution_id=institution_id,
            ledger_id=ledger_id,
            code=code,
            name=(name or code)[:200],
            currency=currency,
            type=type,
            owner_ref=owner_ref,
            metadata=metadata or {},
            debits_must_not_exceed_credits=bool(debits_must_not_exceed_credits),
            credits_must_not_exceed_debits=bool(credits_must_not_exceed_debits),
            closed=False,
            debits_posted=0,
            credits_posted=0,
            debits_pending=0,
            credits_pending=0,
            version=0,
            created_at=utc_now(),
        )

        async def work(c: AsyncConnection) -> None:
            await _insert_account(c, account)

        try:
            if conn is not None:
                await work(conn)
            else:
                await self._tx(work)
        except IntegrityError:
            raise E.DuplicateCode("account", code) from None
        return account

    async def get_account(self, institution_id: UUID, account_id: UUID) -> Account:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(accounts).where(accounts.c.id == account_id, accounts.c.institution_id == institution_id))).first()
        if row is None:
            raise E.AccountNotFound(account_id)
        return account_of(row)

    async def find_account(self, institution_id: UUID, ledger_id: UUID, code: str) -> Account | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(accounts).where(accounts.c.institution_id == institution_id, accounts.c.ledger_id == ledger_id, accounts.c.code == code)
                )
            ).first()
        return None if row is None else account_of(row)

    async def list_accounts(
        self,
        institution_id: UUID,
        ledger_id: UUID | None = None,
        *,
        owner_ref: str | None = None,
        metadata: dict[str, str] | None = None,
        limit: int = 100,
        after_code: str | None = None,
        after_id: UUID | None = None,
    ) -> list[Account]:
        """Accounts ordered by code (then id), filtered by owner and metadata
        values; a page starts after ``(after_code, after_id)`` (keyset)."""
        stmt = select(accounts).where(accounts.c.institution_id == institution_id)
        if ledger_id is not None:
            stmt = stmt.where(accounts.c.ledger_id == ledger_id)
        if owner_ref is not None:
            stmt = stmt.where(accounts.c.owner_ref == owner_ref)
        for k, v in (metadata or {}).items():
            stmt = stmt.where(accounts.c.metadata[k].as_string() == str(v))
        if after_code is not None and after_id is not None:
            stmt = stmt.where(or_(accounts.c.code > after_code, and_(accounts.c.code == after_code, accounts.c.id > after_id)))
        elif after_code is not None:
            stmt = stmt.where(accounts.c.code > after_code)
        stmt = stmt.order_by(accounts.c.code, accounts.c.id).limit(max(1, min(limit, MAX_ROWS)))
        async with self.engine.connect() as conn:
            return [account_of(r) for r in await conn.execute(stmt)]

    async def set_account_closed(self, institution_id: UUID, account_id: UUID, closed: bool) -> Account:
        """Close (or reopen) an account.  A closed account accepts no posting.
        Raises :class:`AccountHasPending` when amounts are held on it."""

        async def work(conn: AsyncConnection) -> AnyRow:
            row = (
                await conn.execute(select(accounts).where(accounts.c.id == account_id, accounts.c.institution_id == institution_id))
            ).first()
            if row is None:
                raise E.AccountNotFound(account_id)
            lock = select(ledgers.c.id).where(ledgers.c.id == row.ledger_id)
            if conn.dialect.name == "postgresql":
                lock = lock.with_for_update()
            await conn.execute(lock)  # same lock as postings: no race with a hold
            row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).one()
            if closed and (row.debits_pending or row.credits_pending):
                raise E.AccountHasPending(str(account_id))
            await conn.execute(update(accounts).where(accounts.c.id == account_id).values(closed=closed))
            return (await conn.execute(select(accounts).where(accounts.c.id == account_id))).one()

        return account_of(await self._tx(work))


def _check_account_request(
    code: str,
    currency: str,
    type: str,
    owner_ref: str | None,
    metadata: dict[str, Any] | None,
    debits_must_not_exceed_credits: bool,
    credits_must_not_exceed_debits: bool,
) -> None:
    """Raise unless the account described can be opened (no database)."""
    check_currency(currency)
    check_code(code, "account")
    if type not in ACCOUNT_TYPES:
        raise E.InvalidInput(f"account type must be one of {', '.join(ACCOUNT_TYPES)}", type=str(type))
    if debits_must_not_exceed_credits and credits_must_not_exceed_debits:
        raise E.ConflictingBalanceLimits()
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise E.InvalidInput("metadata must be an object")
        chainmod.canonical_json(metadata)
    if owner_ref is not None and len(owner_ref) > 128:
        raise E.InvalidInput("owner_ref is at most 128 characters")


async def _insert_account(conn: AsyncConnection, account: Account) -> None:
    """Insert ``account`` into its ledger, which must belong to its institution."""
    found = (
        await conn.execute(select(ledgers.c.id).where(ledgers.c.id == account.ledger_id, ledgers.c.institution_id == account.institution_id))
    ).first()
    if found is None:
        raise E.LedgerNotFound(account.ledger_id)
    dup = (await conn.execute(select(accounts.c.id).where(accounts.c.ledger_id == account.ledger_id, accounts.c.code == account.code))).first()
    if dup is not None:
        raise E.DuplicateCode("account", account.code)
    await conn.execute(accounts.insert().values(**{f.name: getattr(account, f.name) for f in fields(Account)}))
