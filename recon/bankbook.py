"""Bank vs book (#16 item 5): per reconciled account and day, the bank's
closing balance (from the imported statement closing that day), the
ledger's balance as of the end of that day (the mirror account, on the
bank's side: money in positive), and the difference explained by the open
items of that day:

* statement lines booked up to that day that are not cleared: unmatched, or
  matched with something dated after that day (in the bank, not yet in the
  book);
* ledger entries of the mirror account (from the account's start date) up
  to that day that are not cleared in the same sense (in the book, not yet
  in the bank);
* matches cleared by that day whose lines and entries do not add up (bank
  charges awaiting acceptance).

A match is *cleared* on a day when every line and entry of it is dated on
or before that day.  The day is reconciled only when a statement closes on
it and the difference less the open items is zero.

An approver signs a reconciled day off (:func:`sign_off_day`): the figures
he saw, who and when, with an audit row; a day is signed off once.  Four
eyes (not the person who last changed that day's matching,
:attr:`BankBookDay.changed_by`) is the caller's check (the api layer's
rule, as for proposals).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger import errors as E
from ledger.clock import utc_now
from ledger.db import run_in_transaction
from ledger.events import record_audit
from ledger.schema import accounts as accounts_t
from ledger.schema import postings as postings_t
from ledger.service import Ledger

from .tables import recon_accounts, recon_day_signoffs, recon_lines, recon_match_entries, recon_match_lines, recon_matches, recon_proposals, recon_statements

ACTIVE_MATCHES = ("matched", "pending_fee")
#: most days one view shows
MAX_DAYS = 92


class DayNotReconciled(E.Conflict):
    code = "day_not_reconciled"
    title = "Day not reconciled"


class DayAlreadySignedOff(E.Conflict):
    code = "day_already_signed_off"
    title = "Day already signed off"


@dataclass
class BankBookDay:
    day: date
    currency: str
    bank_closing: int | None  # None: no statement closes on this day
    statement_id: str | None
    book: int
    open_lines: int = 0
    open_lines_count: int = 0
    open_entries: int = 0
    open_entries_count: int = 0
    charges: int = 0  # cleared matches that do not add up (charges awaiting acceptance)
    changed_by: list[str] = field(default_factory=list)  # who last changed this day's matching (actor ids)
    signoff: dict[str, Any] | None = None

    @property
    def difference(self) -> int | None:
        return None if self.bank_closing is None else self.bank_closing - self.book

    @property
    def explained(self) -> int:
        return self.open_lines - self.open_entries + self.charges

    @property
    def unexplained(self) -> int | None:
        diff = self.difference
        return None if diff is None else diff - self.explained

    @property
    def reconciled(self) -> bool:
        return self.unexplained == 0


@dataclass
class _Item:
    amount: int
    day: date
    match_id: UUID | None


async def _items(conn: Any, institution_id: UUID, acct: Any, sign: int) -> tuple[list[_Item], list[_Item]]:
    """The account's statement lines (not the split ones: their parts stand
    for them) and its mirror account's posted entries since the start date,
    each with its active match."""
    ln, ml, m = recon_lines.c, recon_match_lines.c, recon_matches.c
    active = and_(m.id == ml.match_id, m.institution_id == ml.institution_id, m.status.in_(ACTIVE_MATCHES))
    line_rows = (await conn.execute(
        select(ln.amount_minor, func.coalesce(ln.booking_date, ln.value_date), m.id)
        .select_from(recon_lines.outerjoin(recon_match_lines, and_(ml.line_id == ln.id, ml.institution_id == ln.institution_id)).outerjoin(recon_matches, active))
        .where(ln.institution_id == institution_id, ln.recon_account_id == acct.id, ln.status != "split")
    )).all()
    p, me = postings_t.c, recon_match_entries.c
    active_e = and_(m.id == me.match_id, m.institution_id == me.institution_id, m.status.in_(ACTIVE_MATCHES))
    entry_rows = (await conn.execute(
        select(p.amount, p.effective_date, m.id)
        .select_from(postings_t.outerjoin(recon_match_entries, and_(me.transaction_id == p.transaction_id, me.line_no == p.line_no, me.institution_id == p.institution_id))
                     .outerjoin(recon_matches, active_e))
        .where(p.institution_id == institution_id, p.account_id == acct.ledger_account_id, p.phase == "posted", p.effective_date >= acct.start_date)
    )).all()
    return [_Item(int(a), d, mid) for a, d, mid in line_rows], [_Item(sign * int(a), d, mid) for a, d, mid in entry_rows]


def _fill(day: BankBookDay, lines: list[_Item], entries: list[_Item], cleared_by: dict[UUID, date]) -> None:
    residual: dict[UUID, int] = defaultdict(int)
    for side, items in ((1, lines), (-1, entries)):
        for it in items:
            if it.day > day.day:
                continue
            if it.match_id is not None and cleared_by[it.match_id] <= day.day:
                residual[it.match_id] += side * it.amount
            elif side == 1:
                day.open_lines += it.amount
                day.open_lines_count += 1
            else:
                day.open_entries += it.amount
                day.open_entries_count += 1
    day.charges = sum(residual.values())


async def _statements(conn: Any, institution_id: UUID, recon_account_id: UUID, date_from: date, date_to: date) -> dict[date, tuple[int, str]]:
    """Per closing day, the closing balance of the statement imported last."""
    s = recon_statements.c
    rows = (await conn.execute(
        select(s.closing_date, s.closing_balance_minor, s.statement_id).where(
            s.institution_id == institution_id, s.recon_account_id == recon_account_id, s.closing_date >= date_from, s.closing_date <= date_to,
            s.closing_balance_minor.is_not(None),
        ).order_by(s.imported_at, s.id)
    )).all()
    return {d: (int(bal), sid) for d, bal, sid in rows}


async def _changers(conn: Any, institution_id: UUID, recon_account_id: UUID, lines: list[_Item], entries: list[_Item]) -> dict[date, list[str]]:
    """Per day, who made the last match touching an item of that day (the
    match's recorder and, for a proposal, its maker)."""
    m, p = recon_matches.c, recon_proposals.c
    rows = (await conn.execute(
        select(m.id, m.created_by, m.created_at, p.maker_id).select_from(recon_matches.outerjoin(recon_proposals, and_(p.id == m.proposal_id, p.institution_id == m.institution_id)))
        .where(m.institution_id == institution_id, m.recon_account_id == recon_account_id, m.status.in_(ACTIVE_MATCHES))
    )).all()
    info = {r.id: (r.created_at, [x for x in (r.created_by, r.maker_id) if x]) for r in rows}
    last: dict[date, tuple[Any, list[str]]] = {}
    for it in [*lines, *entries]:
        if it.match_id is None or it.match_id not in info:
            continue
        at, who = info[it.match_id]
        if it.day not in last or at > last[it.day][0]:
            last[it.day] = (at, who)
    return {d: who for d, (_at, who) in last.items()}


async def bank_vs_book(engine: AsyncEngine, ledger: Ledger, institution_id: UUID, recon_account_id: UUID, date_from: date, date_to: date) -> list[BankBookDay]:
    """The days in [date_from, date_to] on which a statement of the account
    closes (or that were signed off), newest first."""
    if date_to < date_from:
        raise E.InvalidInput("date_to is before date_from", field="date_to")
    if (date_to - date_from).days >= MAX_DAYS:
        raise E.InvalidInput(f"at most {MAX_DAYS} days at a time", field="date_from")
    async with engine.connect() as conn:
        acct = (await conn.execute(select(recon_accounts).where(recon_accounts.c.institution_id == institution_id, recon_accounts.c.id == recon_account_id))).first()
        if acct is None:
            raise E.NotFound("reconciled account", recon_account_id)
        kind = (await conn.execute(select(accounts_t.c.type).where(accounts_t.c.institution_id == institution_id, accounts_t.c.id == acct.ledger_account_id))).scalar_one()
        lines, entries = await _items(conn, institution_id, acct, 1 if kind in ("asset", "expense") else -1)
        closing = await _statements(conn, institution_id, recon_account_id, date_from, date_to)
        changers = await _changers(conn, institution_id, recon_account_id, lines, entries)
        so = recon_day_signoffs.c
        signed = {r.day: dict(r._mapping) for r in await conn.execute(select(recon_day_signoffs).where(
            so.institution_id == institution_id, so.recon_account_id == recon_account_id, so.day >= date_from, so.day <= date_to))}
    cleared_by: dict[UUID, date] = {}
    for it in [*lines, *entries]:
        if it.match_id is not None:
            cleared_by[it.match_id] = max(cleared_by.get(it.match_id, it.day), it.day)
    out = []
    for d in sorted(set(closing) | set(signed), reverse=True):
        book = (await ledger.balance(institution_id, acct.ledger_account_id, as_of_date=d)).posted
        bank, sid = closing.get(d, (None, None))
        day = BankBookDay(d, acct.currency, bank, sid, book, changed_by=changers.get(d, []), signoff=signed.get(d))
        _fill(day, lines, entries, cleared_by)
        out.append(day)
    return out


async def sign_off_day(engine: AsyncEngine, ledger: Ledger, institution_id: UUID, recon_account_id: UUID, day: date, *, actor: str, actor_name: str,
                       request_id: str | None = None) -> BankBookDay:
    """Record that ``actor`` signed the day off (the figures as they are
    now, with an audit row); refused unless the day is reconciled, and once
    signed off a day stays so."""
    found = next((d for d in await bank_vs_book(engine, ledger, institution_id, recon_account_id, day, day) if d.day == day), None)
    if found is None or found.bank_closing is None:
        raise DayNotReconciled(f"no statement of the account closes on {day}: there is no bank balance to reconcile", day=day.isoformat())
    if found.signoff is not None:
        raise DayAlreadySignedOff(f"{day} was signed off by {found.signoff['signed_by_name']}", day=day.isoformat())
    if not found.reconciled:
        raise DayNotReconciled(f"the difference after open items is {found.unexplained} (minor units), not zero", day=day.isoformat(), unexplained_minor=found.unexplained)
    now = utc_now()
    row = {
        "institution_id": institution_id, "recon_account_id": recon_account_id, "day": day, "bank_closing_minor": found.bank_closing, "book_minor": found.book,
        "open_items_minor": found.explained, "signed_by": actor[:128], "signed_by_name": actor_name[:128], "signed_at": now,
    }

    async def work(conn: Any) -> None:
        await conn.execute(recon_day_signoffs.insert().values(**row))
        after = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if k not in ("institution_id", "signed_at")}
        await record_audit(conn, institution_id=institution_id, actor_type="user" if actor.startswith("user:") else "system", actor_id=actor,
                           action="recon.day_signed_off", object_type="recon_account", object_id=str(recon_account_id),
                           after={**after, "recon_account_id": str(recon_account_id)}, request_id=request_id)

    try:
        await run_in_transaction(engine, work)
    except IntegrityError:
        raise DayAlreadySignedOff(f"{day} was signed off meanwhile", day=day.isoformat()) from None
    found.signoff = row
    return found
