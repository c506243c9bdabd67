"""Matching runs, the exceptions queue and recorded matches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.clock import business_today, utc_now
from ledger.events import emit_event
from ledger.ids import uuid7
from ledger.money import format_minor

from .. import model as M
from ..matching import batch_part_matches, match
from ..secrecy import reveal
from ..tables import (
    recon_line_parts,
    recon_lines,
    recon_match_entries,
    recon_match_lines,
    recon_matches,
    recon_proposals,
    recon_runs,
    recon_statements,
)
from .common import (
    _CHUNK,
    ExceptionFilter,
    ExceptionItem,
    LinePart,
    ReconAccount,
    RunResult,
    ServiceBase,
    StatementLine,
    _line_parts,
    _parse_entry_id,
    _parts_for_match,
    entry_id,
)


class MatchingMixin(ServiceBase):
    """Run the automatic rules; list what is left open and what matched."""

    # -- matching ---------------------------------------------------------------------------------

    async def _load_open(self, conn: AsyncConnection, acct: ReconAccount) -> tuple[list[M.LineForMatch], list[M.EntryForMatch]]:
        line_rows = (await conn.execute(select(
            recon_lines.c.id, recon_lines.c.amount_minor, recon_lines.c.currency, recon_lines.c.value_date, recon_lines.c.end_to_end_ref,
            recon_lines.c.reference, recon_lines.c.description, recon_lines.c.institution_id,
        ).where(recon_lines.c.recon_account_id == acct.id, recon_lines.c.status == "open"))).all()
        parts = await self._open_parts(conn, acct)
        lines = [
            M.LineForMatch(id=str(r.id), amount_minor=int(r.amount_minor), currency=r.currency, value_date=r.value_date,
                           references=tuple(x for x in (r.end_to_end_ref, r.reference) if x),
                           description=reveal(self.keyring, r.institution_id, "description", r.description) or "",
                           parts=parts.get(r.id, ()))
            for r in line_rows
        ]
        entries = await self._unmatched_entries(conn, acct)
        return lines, entries

    async def _open_parts(self, conn: AsyncConnection, acct: ReconAccount) -> dict[UUID, tuple[M.PartForMatch, ...]]:
        """The parts of the account's open batch lines, as the matcher sees them."""
        rows = (await conn.execute(select(recon_line_parts.c.line_id).distinct().select_from(
            recon_line_parts.join(recon_lines, recon_lines.c.id == recon_line_parts.c.line_id)).where(
            recon_lines.c.recon_account_id == acct.id, recon_lines.c.status == "open"))).all()
        stored = await _line_parts(conn, [r.line_id for r in rows], self.keyring)
        return {k: _parts_for_match(v) for k, v in stored.items()}

    async def run_matching(self, institution_id: UUID, *, recon_account_id: UUID | None = None, actor: str = "system:matcher") -> list[RunResult]:
        """Run the automatic rules on every reconciled account (or one)."""
        accts = [await self.get_account(institution_id, recon_account_id)] if recon_account_id else await self.list_accounts(institution_id)
        results = []
        for acct in accts:
            started = utc_now()

            async def work(conn: AsyncConnection, acct: ReconAccount = acct, started: datetime = started) -> RunResult:
                return await self._match_account(conn, institution_id, acct, started, actor)

            results.append(await self._tx(work))
        return results

    async def _match_account(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, started: datetime, actor: str) -> RunResult:
        """One matching run on one account, recorded in ``conn``'s transaction."""
        lines, entries = await self._load_open(conn, acct)
        held = await self._held_by_proposals(conn, institution_id, acct.id)
        if held:  # what a person is deciding on is not matched behind his back
            lines = [x for x in lines if x.id not in held]
            entries = [x for x in entries if x.id not in held]
        outcome = match(lines, entries, acct.config)
        run_id = uuid7()
        rows = _RunRows.of(outcome.matches, institution_id, acct, run_id, actor, utc_now(), {x.id: x.amount_minor for x in lines})
        for chunk_rows, table in ((rows.matches, recon_matches), (rows.match_lines, recon_match_lines), (rows.match_entries, recon_match_entries),
                                  (rows.proposals, recon_proposals)):
            for i in range(0, len(chunk_rows), _CHUNK):
                await conn.execute(table.insert(), chunk_rows[i:i + _CHUNK])
        for i in range(0, len(rows.matched_lines), _CHUNK):
            await conn.execute(update(recon_lines).where(recon_lines.c.id.in_(rows.matched_lines[i:i + _CHUNK])).values(status="matched"))
        if rows.part_entries:
            await conn.execute(update(recon_line_parts).where(
                recon_line_parts.c.line_id == bindparam("b_line"), recon_line_parts.c.idx == bindparam("b_idx")).values(
                matched_entry_id=bindparam("b_entry")), rows.part_entries)
        counts = dict(rows.counts)
        await conn.execute(recon_runs.insert().values(
            id=run_id, institution_id=institution_id, recon_account_id=acct.id, actor=actor[:128], lines_considered=len(lines),
            entries_considered=len(entries), counts=counts, started_at=started, finished_at=utc_now(),
        ))
        if rows.matches:
            await emit_event(conn, institution_id, "recon.matching_run", {"run_id": str(run_id), "recon_account_id": str(acct.id), "counts": counts})
        return RunResult(
            run_id=run_id, recon_account_id=acct.id, lines_considered=len(lines), entries_considered=len(entries), counts=counts,
            unmatched_lines=len(outcome.unmatched_line_ids) + rows.review_lines, unmatched_entries=len(outcome.unmatched_entry_ids) + rows.review_entries,
            fee_proposals=len(rows.proposals) - rows.review_count, review_proposals=rows.review_count,
        )

    @staticmethod
    async def _held_by_proposals(conn: AsyncConnection, institution_id: UUID, recon_account_id: UUID | None = None) -> set[str]:
        """Lines and entries of pending proposals other than fees (of one
        account, or of the institution): left out of runs and of the queue."""
        stmt = select(recon_proposals.c.payload).where(
            recon_proposals.c.institution_id == institution_id, recon_proposals.c.status == "pending", recon_proposals.c.kind != "fee")
        if recon_account_id is not None:
            stmt = stmt.where(recon_proposals.c.recon_account_id == recon_account_id)
        rows = (await conn.execute(stmt)).all()
        out: set[str] = set()
        for r in rows:
            out.update(r.payload.get("line_ids") or [])
            out.update(r.payload.get("entry_ids") or [])
        return out

    # -- exceptions queue ---------------------------------------------------------------------------

    async def exceptions(
        self, institution_id: UUID, *, side: str | None = None, recon_account_id: UUID | None = None, as_of: date | None = None, limit: int = 200,
        after: tuple[str, str, str] | None = None, filters: ExceptionFilter | None = None,
    ) -> list[ExceptionItem]:
        """Open statement lines and unmatched ledger entries, oldest first, with their age in days.

        In the order (value date, side, id); ``after`` that key (ISO date,
        side, id) of the last item of a previous page; ``filters`` narrows
        the queue (search, direction, amount range, age bucket, value dates)."""
        if side not in (None, "line", "entry"):
            raise E.InvalidInput("side must be 'line' or 'entry'", field="side")
        as_of = as_of or business_today()
        accts = [await self.get_account(institution_id, recon_account_id)] if recon_account_id else await self.list_accounts(institution_id)
        items: list[ExceptionItem] = []
        async with self.engine.connect() as conn:
            in_proposal = await self._held_by_proposals(conn, institution_id)
            for acct in accts:
                if side in (None, "line"):
                    items.extend(await self._open_line_items(conn, acct, as_of))
                if side in (None, "entry"):
                    for e in await self._unmatched_entries(conn, acct):
                        items.append(ExceptionItem(
                            side="entry", id=e.id, recon_account_id=acct.id, amount_minor=e.amount_minor, currency=e.currency, value_date=e.value_date,
                            reference=e.references[0] if e.references else None, description=e.description, age_days=max(0, (as_of - e.value_date).days),
                        ))
        items = [i for i in items if i.id not in in_proposal and (filters is None or filters.admits(i))]
        items.sort(key=exception_key)
        if after is not None:
            items = [i for i in items if exception_key(i) > after]
        return items[:limit]

    async def _open_line_items(self, conn: AsyncConnection, acct: ReconAccount, as_of: date) -> list[ExceptionItem]:
        """The account's open lines; a batch line with its parts, each with the
        free entry it matches by reference and amount (the matched parts)."""
        rows = (await conn.execute(select(recon_lines).where(recon_lines.c.recon_account_id == acct.id, recon_lines.c.status == "open"))).all()
        parts = await _line_parts(conn, [r.id for r in rows if r.id], self.keyring)
        free = await self._unmatched_entries(conn, acct) if parts else []
        items = []
        for r in rows:
            line_parts = parts.get(r.id, ())
            add_up = None
            if line_parts:
                for_match = M.LineForMatch(id=str(r.id), amount_minor=int(r.amount_minor), currency=r.currency, value_date=r.value_date,
                                           parts=_parts_for_match(line_parts))
                found = batch_part_matches(for_match, free)
                line_parts = tuple(_with_entry(p, found.get(p.index)) for p in line_parts)
                add_up = for_match.batch_parts_usable
            items.append(ExceptionItem(
                side="line", id=str(r.id), recon_account_id=acct.id, amount_minor=int(r.amount_minor), currency=r.currency, value_date=r.value_date,
                reference=r.end_to_end_ref or r.reference or r.bank_ref, description=reveal(self.keyring, r.institution_id, "description", r.description) or "", age_days=max(0, (as_of - r.value_date).days),
                parts=line_parts, parts_add_up=add_up,
                counterparty=reveal(self.keyring, r.institution_id, "counterparty_name", r.counterparty_name)
                or reveal(self.keyring, r.institution_id, "counterparty_account", r.counterparty_account),
            ))
        return items

    async def statement_lines(
        self, institution_id: UUID, *, statement_row_id: UUID | None = None, recon_account_id: UUID | None = None, status: str | None = None,
        limit: int = 200, after: UUID | None = None,
    ) -> list[StatementLine]:
        """Imported statement lines in the order they were imported (statement
        by statement, in the bank's order; ids are time-ordered), each with its
        parts; ``after`` the id of the last line of a previous page.  A statement
        or account of another institution (or none) is NotFound."""
        if status not in (None, "open", "matched", "split"):
            raise E.InvalidInput("status must be open, matched or split", field="status")
        stmt = select(recon_lines).where(recon_lines.c.institution_id == institution_id)
        if statement_row_id is not None:
            await self._statement_exists(institution_id, statement_row_id)
            stmt = stmt.where(recon_lines.c.statement_row_id == statement_row_id)
        if recon_account_id is not None:
            await self.get_account(institution_id, recon_account_id)
        if after is not None:
            stmt = stmt.where(recon_lines.c.id > after)
        if recon_account_id is not None:
            stmt = stmt.where(recon_lines.c.recon_account_id == recon_account_id)
        if status is not None:
            stmt = stmt.where(recon_lines.c.status == status)
        stmt = stmt.order_by(recon_lines.c.id).limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
            parts = await _line_parts(conn, [r.id for r in rows], self.keyring)
        return [StatementLine(
            id=r.id, recon_account_id=r.recon_account_id, statement_row_id=r.statement_row_id, index=int(r.idx), amount_minor=int(r.amount_minor),
            currency=r.currency, booking_date=r.booking_date, value_date=r.value_date, end_to_end_ref=r.end_to_end_ref, bank_ref=r.bank_ref,
            reference=r.reference, description=reveal(self.keyring, r.institution_id, "description", r.description) or "", counterparty_name=reveal(self.keyring, r.institution_id, "counterparty_name", r.counterparty_name),
            counterparty_account=reveal(self.keyring, r.institution_id, "counterparty_account", r.counterparty_account),
            status=r.status, parts=parts.get(r.id, ()),
        ) for r in rows]

    async def _statement_exists(self, institution_id: UUID, statement_row_id: UUID) -> None:
        async with self.engine.connect() as conn:
            found = (await conn.execute(select(recon_statements.c.id).where(
                recon_statements.c.id == statement_row_id, recon_statements.c.institution_id == institution_id))).first()
        if found is None:
            raise E.NotFound("statement", statement_row_id)

    async def matches(self, institution_id: UUID, *, recon_account_id: UUID | None = None, limit: int = 200, after: UUID | None = None) -> list[dict[str, Any]]:
        """Matches, newest first (ids are time-ordered); ``after`` the id of the
        last match of a previous page."""
        async with self.engine.connect() as conn:
            stmt = select(recon_matches).where(recon_matches.c.institution_id == institution_id)
            if recon_account_id:
                stmt = stmt.where(recon_matches.c.recon_account_id == recon_account_id)
            if after is not None:
                stmt = stmt.where(recon_matches.c.id < after)
            rows = (await conn.execute(stmt.order_by(recon_matches.c.id.desc()).limit(limit))).all()
            ids = [r.id for r in rows]
            lines: dict[UUID, list[str]] = defaultdict(list)
            entries: dict[UUID, list[str]] = defaultdict(list)
            if ids:
                for r in (await conn.execute(select(recon_match_lines).where(recon_match_lines.c.match_id.in_(ids)))).all():
                    lines[r.match_id].append(str(r.line_id))
                for r in (await conn.execute(select(recon_match_entries).where(recon_match_entries.c.match_id.in_(ids)))).all():
                    entries[r.match_id].append(entry_id(r.transaction_id, r.line_no))
        return [
            {"id": r.id, "recon_account_id": r.recon_account_id, "rule": r.rule, "status": r.status, "difference_minor": int(r.difference_minor),
             "line_ids": sorted(lines[r.id]), "entry_ids": sorted(entries[r.id]), "fee_transaction_id": r.fee_transaction_id,
             "proposal_id": r.proposal_id, "created_by": r.created_by, "created_at": r.created_at}
            for r in rows
        ]


@dataclass
class _RunRows:
    """The rows one matching run writes."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    matches: list[dict[str, Any]] = field(default_factory=list)
    match_lines: list[dict[str, Any]] = field(default_factory=list)
    match_entries: list[dict[str, Any]] = field(default_factory=list)
    matched_lines: list[UUID] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    part_entries: list[dict[str, Any]] = field(default_factory=list)  # rule batch_reference: part -> entry
    review_count: int = 0  # amount-and-date matches proposed for review
    review_lines: int = 0
    review_entries: int = 0

    @classmethod
    def of(cls, matches: Iterable[M.Match], institution_id: UUID, acct: ReconAccount, run_id: UUID, actor: str, now: datetime,
           line_amounts: dict[str, int] | None = None) -> _RunRows:
        rows = cls()
        amounts = line_amounts or {}
        for m in matches:
            rows.add(m, institution_id, acct, run_id, actor, now, sum(amounts.get(x, 0) for x in m.line_ids))
        return rows

    def add(self, m: M.Match, institution_id: UUID, acct: ReconAccount, run_id: UUID, actor: str, now: datetime, amount_minor: int = 0) -> None:
        threshold = acct.config.review_amount_only_below_minor
        if m.rule == M.RULE_AMOUNT_DATE and threshold > 0 and abs(amount_minor) < threshold:
            self._propose(m, institution_id, acct, actor, now, amount_minor, threshold)
            return
        mid = uuid7()
        self.counts[m.rule] += 1
        pending_fee = m.difference_minor != 0
        self.matches.append(dict(id=mid, institution_id=institution_id, recon_account_id=acct.id, rule=m.rule, difference_minor=m.difference_minor,
                                 status="pending_fee" if pending_fee else "matched", fee_transaction_id=None, proposal_id=None, run_id=run_id,
                                 created_by=actor[:128], created_at=now))
        for lid in m.line_ids:
            self.match_lines.append(dict(match_id=mid, line_id=UUID(lid), institution_id=institution_id))
            self.matched_lines.append(UUID(lid))
        for k, eid in m.part_entries:
            self.part_entries.append({"b_line": UUID(m.line_ids[0]), "b_idx": k, "b_entry": eid})
        for eid in m.entry_ids:
            tx, ln = _parse_entry_id(eid)
            self.match_entries.append(dict(match_id=mid, institution_id=institution_id, recon_account_id=acct.id, transaction_id=tx, line_no=ln))
        if pending_fee:
            self._fee_proposal(m, mid, institution_id, acct, actor, now)

    def _propose(self, m: M.Match, institution_id: UUID, acct: ReconAccount, actor: str, now: datetime, amount_minor: int, threshold: int) -> None:
        """A small match on amount and date alone: a manual-match proposal by
        the matcher, for a person to approve (the lines stay open)."""
        self.review_count += 1
        self.review_lines += len(m.line_ids)
        self.review_entries += len(m.entry_ids)
        payload = {"line_ids": list(m.line_ids), "entry_ids": list(m.entry_ids), "difference_minor": 0, "rule": m.rule}
        self.proposals.append(_matcher_proposal("manual_match", payload, _review_note(acct, amount_minor, threshold), None, institution_id, acct, actor, now))

    def _fee_proposal(self, m: M.Match, mid: UUID, institution_id: UUID, acct: ReconAccount, actor: str, now: datetime) -> None:
        payload = {"match_id": str(mid), "line_ids": list(m.line_ids), "entry_ids": list(m.entry_ids), "fee_minor": -m.difference_minor}
        note = f"bank charges of {format_minor(-m.difference_minor, acct.currency)} {acct.currency} within tolerance"
        self.proposals.append(_matcher_proposal("fee", payload, note, mid, institution_id, acct, actor, now))


def _matcher_proposal(kind: str, payload: dict[str, Any], note: str, match_id: UUID | None, institution_id: UUID, acct: ReconAccount, actor: str, now: datetime) -> dict[str, Any]:
    """A pending proposal row made by the automatic matcher, for a person to decide."""
    return dict(
        id=uuid7(), institution_id=institution_id, recon_account_id=acct.id, kind=kind, status="pending", maker_id=actor[:128],
        maker_name="automatic matcher", approver_id=None, approver_name=None, decided_at=None,
        payload=payload, note=note, reason=None, transaction_id=None, match_id=match_id, created_at=now,
    )


def _review_note(acct: ReconAccount, amount_minor: int, threshold: int) -> str:
    return (f"amount and value date only, no shared reference: {format_minor(abs(amount_minor), acct.currency)} {acct.currency} is below the review "
            f"threshold of {format_minor(threshold, acct.currency)}; approve to match")


def exception_key(item: ExceptionItem) -> tuple[str, str, str]:
    """The order of the exceptions queue: value date, side, id."""
    return (item.value_date.isoformat(), item.side, item.id)


def _with_entry(p: LinePart, entry: str | None) -> LinePart:
    return p if entry is None else replace(p, entry_id=entry)
