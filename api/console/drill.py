"""Drill-down and audit reads of the console (#16 item 4).

* :func:`transaction_links`: what stands behind a ledger transaction besides
  its postings: its place in the ledger's hash chain (sequence, previous
  hash, hash), the reconciliation matches that cleared its entries with
  the statement lines (and their statements) on the other side, and the
  proposals that created it or its matches (maker and approver);
* :func:`audit_entries`: the audit trail of one institution, newest first,
  filtered by user, action, object and time, one page at a time.

Every read is bounded by the institution: another institution's ids find
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.crypto import Keyring
from ledger.events import audit_log
from ledger.schema import transactions
from recon.secrecy import SEALED, reveal
from recon.tables import recon_lines, recon_match_entries, recon_match_lines, recon_matches, recon_proposals, recon_statements

from .i18n import CHINA

#: actions finance and approver users do not see in their read-only view
#: (security administration: logins, users, keys, the institution itself)
ADMIN_ONLY_PREFIXES = ("auth.", "user.", "api_key.", "keys.", "institution.", "four_eyes.")
AUDIT_PAGE = 50


@dataclass
class TransactionLinks:
    prev_hash: str
    matches: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)


async def transaction_links(engine: AsyncEngine, keyring: Keyring, institution_id: UUID, transaction_id: UUID) -> TransactionLinks:
    """The chain position and the reconciliation behind one transaction
    (the caller has already found the transaction at this institution);
    the statement lines' personal data decrypted for the institution's staff."""
    inst = institution_id
    async with engine.connect() as conn:
        prev = (await conn.execute(select(transactions.c.prev_hash).where(transactions.c.institution_id == inst, transactions.c.id == transaction_id))).scalar_one()
        me = recon_match_entries.c
        m = recon_matches.c
        matches = [dict(r._mapping) for r in await conn.execute(
            select(m.id, m.rule, m.status, m.created_by, m.created_at, m.proposal_id, m.difference_minor, me.line_no)
            .join(recon_match_entries, and_(me.match_id == m.id, me.institution_id == m.institution_id))
            .where(m.institution_id == inst, me.transaction_id == transaction_id).order_by(m.created_at)
        )]
        match_ids = list(dict.fromkeys(x["id"] for x in matches))
        lines: list[dict[str, Any]] = []
        if match_ids:
            ml, ln, st = recon_match_lines.c, recon_lines.c, recon_statements.c
            lines = [dict(r._mapping) for r in await conn.execute(
                select(ml.match_id, ln.id, ln.amount_minor, ln.currency, ln.value_date, ln.end_to_end_ref, ln.bank_ref, ln.reference, ln.description,
                       ln.counterparty_name, st.statement_id, st.filename)
                .join(recon_lines, and_(recon_lines.c.id == ml.line_id, recon_lines.c.institution_id == ml.institution_id))
                .outerjoin(recon_statements, and_(st.id == ln.statement_row_id, st.institution_id == ln.institution_id))
                .where(ml.institution_id == inst, ml.match_id.in_(match_ids)).order_by(ln.value_date, ln.idx)
            )]
        p = recon_proposals.c
        wanted = [x["proposal_id"] for x in matches if x["proposal_id"] is not None]
        cond = p.transaction_id == transaction_id if not wanted else or_(p.transaction_id == transaction_id, p.id.in_(wanted))
        proposals = [dict(r._mapping) for r in await conn.execute(
            select(p.id, p.kind, p.status, p.maker_name, p.approver_name, p.created_at, p.decided_at, p.note, p.transaction_id, p.match_id)
            .where(p.institution_id == inst, cond).order_by(p.created_at)
        )]
    for line in lines:
        for name in SEALED:
            if name in line:
                line[name] = reveal(keyring, inst, name, line[name])
    return TransactionLinks(prev, matches, lines, proposals)


@dataclass(frozen=True)
class AuditFilter:
    actor_ids: tuple[str, ...] | None = None  # None: anyone; (): nobody (an unknown user)
    action: str = ""  # a prefix: "recon." or "recon.proposal_approved"
    obj: str = ""  # an object type or an object id
    date_from: date | None = None  # China dates, inclusive
    date_to: date | None = None
    admin: bool = False  # else the security actions are left out


def _china_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CHINA)


def _conditions(institution_id: UUID, f: AuditFilter) -> list[Any]:
    a = audit_log.c
    conds: list[Any] = [a.institution_id == institution_id]
    if f.actor_ids is not None:
        conds.append(a.actor_id.in_(f.actor_ids) if f.actor_ids else a.id.is_(None))
    if f.action:
        escaped = f.action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(a.action.like(escaped + "%", escape="\\"))
    if f.obj:
        conds.append(or_(a.object_type == f.obj, a.object_id == f.obj))
    if f.date_from is not None:
        conds.append(a.created_at >= _china_start(f.date_from))
    if f.date_to is not None:
        conds.append(a.created_at < _china_start(f.date_to + timedelta(days=1)))
    if not f.admin:
        conds.extend(~a.action.like(prefix.replace("_", "\\_") + "%", escape="\\") for prefix in ADMIN_ONLY_PREFIXES)
    return conds


async def audit_entries(engine: AsyncEngine, institution_id: UUID, f: AuditFilter, *, before: UUID | None = None, limit: int = AUDIT_PAGE) -> tuple[list[dict[str, Any]], UUID | None]:
    """One page of the institution's audit trail, newest first (ids are
    time-ordered UUIDv7), and the id to read the next page before."""
    conds = _conditions(institution_id, f)
    if before is not None:
        conds.append(audit_log.c.id < before)
    stmt = select(audit_log).where(*conds).order_by(audit_log.c.id.desc()).limit(limit + 1)
    async with engine.connect() as conn:
        rows = [dict(r._mapping) for r in await conn.execute(stmt)]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1]["id"] if more and rows else None)
