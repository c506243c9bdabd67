"""Reconciliation: statements in, matches out, exceptions worked under maker-checker.

* ``import_statement`` streams a camt.053/054, MT940 or CSV file into
  ``recon_lines`` inside one database transaction: a broken file imports
  nothing; a statement already imported (same account and statement id) is
  skipped, so importing the same file twice imports it once.
* ``run_matching`` loads the open lines and unmatched ledger entries of each
  reconciled account, runs the rules of :mod:`recon.matching` and records
  every match with the rule that made it.  A match within the bank-charges
  tolerance waits for an approver, who accepts it by posting the fee.
* ``propose`` / ``approve`` / ``reject``: manual matches, splits and
  adjustment entries are made by one user and take effect only when another
  user with the approver role approves them.  An unapproved adjustment moves
  no money.
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, BinaryIO
from uuid import UUID

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.model import NewTransaction, Posting
from ledger.money import format_minor
from ledger.posting import post_batch
from ledger.schema import accounts as accounts_t
from ledger.schema import postings as postings_t
from ledger.schema import transactions as transactions_t
from ledger.service import Ledger

from . import model as M
from .tables import (
    recon_accounts,
    recon_csv_mappings,
    recon_lines,
    recon_match_entries,
    recon_match_lines,
    recon_matches,
    recon_proposals,
    recon_runs,
    recon_statements,
)

_CHUNK = 1000
# transaction metadata keys that carry a payment reference the bank may echo
REFERENCE_KEYS = ("end_to_end_ref", "end_to_end_id", "reference", "external_ref", "uetr", "payment_ref")
# references too generic to identify anything
_NO_REFERENCE = {"", "NOTPROVIDED", "NONREF", "NONE", "N/A"}
AGE_BUCKETS = ((0, 1, "0-1"), (2, 7, "2-7"), (8, 30, "8-30"), (31, None, "31+"))


# -- errors ------------------------------------------------------------------------------


class UnknownBankAccount(E.InvalidInput):
    code = "unknown_bank_account"
    title = "Bank account not under reconciliation"


class SelfApprovalRefused(E.LedgerError):
    code = "self_approval_refused"
    status = 403
    title = "Nobody approves their own proposal"


class ApproverRoleRequired(E.LedgerError):
    code = "approver_role_required"
    status = 403
    title = "Approver role required"


class ProposalNotPending(E.Conflict):
    code = "proposal_not_pending"
    title = "Proposal already decided"


class AlreadyMatched(E.Conflict):
    code = "already_matched"
    title = "Statement line or ledger entry already matched"


class MatchDoesNotBalance(E.InvalidInput):
    code = "match_does_not_balance"
    title = "Lines and entries do not add up"


# -- values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReconAccount:
    id: UUID
    bank_account: str
    currency: str
    ledger_account_id: UUID
    fee_account_id: UUID | None
    adjustment_account_id: UUID | None
    name: str
    start_date: date
    config: M.MatchingConfig


@dataclass
class ImportedStatement:
    id: UUID | None
    statement_id: str
    account: str
    currency: str
    format: str
    entries: int
    duplicate: bool
    balance_mismatch_minor: int | None = None


@dataclass
class ImportResult:
    filename: str
    sha256: str
    bytes: int
    statements: list[ImportedStatement] = field(default_factory=list)

    @property
    def lines_imported(self) -> int:
        return sum(s.entries for s in self.statements if not s.duplicate)

    @property
    def duplicates_skipped(self) -> int:
        return sum(1 for s in self.statements if s.duplicate)


@dataclass
class RunResult:
    run_id: UUID
    recon_account_id: UUID
    lines_considered: int
    entries_considered: int
    counts: dict[str, int]
    unmatched_lines: int
    unmatched_entries: int
    fee_proposals: int


@dataclass(frozen=True)
class ExceptionItem:
    side: str  # 'line' | 'entry'
    id: str
    recon_account_id: UUID
    amount_minor: int
    currency: str
    value_date: date
    reference: str | None
    description: str
    age_days: int


@dataclass(frozen=True)
class Proposal:
    id: UUID
    recon_account_id: UUID
    kind: str
    status: str
    maker_id: str
    maker_name: str
    approver_id: str | None
    approver_name: str | None
    decided_at: datetime | None
    line_ids: list[str]
    entry_ids: list[str]
    payload: dict[str, Any]
    note: str
    reason: str | None
    transaction_id: UUID | None
    match_id: UUID | None
    created_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def matching_config(raw: dict[str, Any] | None) -> M.MatchingConfig:
    raw = dict(raw or {})
    known = {k: raw[k] for k in ("date_window_days", "charge_tolerance_minor", "charge_tolerance_bp", "max_group_size") if k in raw}
    for k, v in known.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise E.InvalidInput(f"matching setting {k} must be a non-negative integer", field=k)
    if known.get("max_group_size", 2) < 2 or known.get("max_group_size", 2) > 12:
        raise E.InvalidInput("max_group_size must be between 2 and 12", field="max_group_size")
    if known.get("date_window_days", 0) > 31:
        raise E.InvalidInput("date_window_days must be at most 31", field="date_window_days")
    return M.MatchingConfig(**known)


def _config_dict(cfg: M.MatchingConfig) -> dict[str, int]:
    return {
        "date_window_days": cfg.date_window_days,
        "charge_tolerance_minor": cfg.charge_tolerance_minor,
        "charge_tolerance_bp": cfg.charge_tolerance_bp,
        "max_group_size": cfg.max_group_size,
    }


def _account(row: Any) -> ReconAccount:
    return ReconAccount(
        id=row.id, bank_account=row.bank_account, currency=row.currency, ledger_account_id=row.ledger_account_id, fee_account_id=row.fee_account_id,
        adjustment_account_id=row.adjustment_account_id, name=row.name, start_date=row.start_date, config=matching_config(row.config),
    )


def entry_id(transaction_id: UUID, line_no: int) -> str:
    return f"{transaction_id}:{line_no}"


def _parse_entry_id(value: str) -> tuple[UUID, int]:
    try:
        tx, line = str(value).rsplit(":", 1)
        return UUID(tx), int(line)
    except (ValueError, AttributeError):
        raise E.InvalidInput(f"ledger entry id {value!r} is not '<transaction id>:<line>'", field="entry_ids") from None


def _parse_line_id(value: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise E.InvalidInput(f"statement line id {value!r} is not a UUID", field="line_ids") from None


def _clean_ref(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if text.upper() in _NO_REFERENCE else text[:128]


class _HashingReader(io.RawIOBase):
    """A raw stream wrapper that hashes and counts what the parser reads."""

    def __init__(self, stream: BinaryIO, progress: Callable[[int], None] | None) -> None:
        self._stream = stream
        self._progress = progress
        self.sha = hashlib.sha256()
        self.bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        if not data:
            return 0
        n = len(data)
        buffer[:n] = data
        self.sha.update(data)
        self.bytes += n
        if self._progress is not None:
            self._progress(n)
        return n

    def drain(self) -> None:
        while self.read(1 << 16):
            pass


class Reconciliation:
    """Reconciliation of an institution's bank accounts against its ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.engine = ledger.engine

    async def _tx(self, work):
        return await self.ledger._tx(work)

    # -- accounts under reconciliation ------------------------------------------------------

    async def register_account(
        self, institution_id: UUID, *, bank_account: str, ledger_account_id: UUID, currency: str | None = None, name: str = "",
        fee_account_id: UUID | None = None, adjustment_account_id: UUID | None = None, start_date: date | None = None,
        config: dict[str, Any] | None = None, actor: str = "operator",
    ) -> ReconAccount:
        """Put a bank account under reconciliation against its mirror in the ledger.

        Raises NotFound for a ledger account of another institution, InvalidInput
        for a currency that differs from the ledger account's, Conflict when the
        bank account or ledger account is already registered."""
        bank_account = (bank_account or "").replace(" ", "").strip()
        if not bank_account or len(bank_account) > 64:
            raise E.InvalidInput("bank_account must be 1 to 64 characters", field="bank_account")
        cfg = matching_config(config)
        acct = await self.ledger.get_account(institution_id, ledger_account_id)
        if currency is not None and currency != acct.currency:
            raise E.InvalidInput(f"ledger account is in {acct.currency}, not {currency}", field="currency")
        for other in (fee_account_id, adjustment_account_id):
            if other is not None:
                o = await self.ledger.get_account(institution_id, other)
                if o.currency != acct.currency:
                    raise E.InvalidInput(f"account {other} is in {o.currency}, not {acct.currency}", field="fee_account_id")
        rid = uuid7()

        async def work(conn: AsyncConnection):
            clash = (await conn.execute(select(recon_accounts.c.id).where(
                (recon_accounts.c.ledger_account_id == ledger_account_id)
                | and_(recon_accounts.c.institution_id == institution_id, recon_accounts.c.bank_account == bank_account, recon_accounts.c.currency == acct.currency)
            ))).first()
            if clash is not None:
                raise E.Conflict("bank account or ledger account already under reconciliation", bank_account=bank_account, ledger_account_id=str(ledger_account_id))
            await conn.execute(recon_accounts.insert().values(
                id=rid, institution_id=institution_id, bank_account=bank_account, currency=acct.currency, ledger_account_id=ledger_account_id,
                fee_account_id=fee_account_id, adjustment_account_id=adjustment_account_id, name=(name or bank_account)[:200],
                start_date=start_date or date(2000, 1, 1), config=_config_dict(cfg), created_at=_now(),
            ))
            await record_audit(conn, institution_id=institution_id, actor_type="user" if actor.startswith("user:") else "system", actor_id=actor,
                               action="recon.account_registered", object_type="recon_account", object_id=str(rid), after={"bank_account": bank_account, "currency": acct.currency})

        await self._tx(work)
        return await self.get_account(institution_id, rid)

    async def get_account(self, institution_id: UUID, recon_account_id: UUID) -> ReconAccount:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(recon_accounts).where(recon_accounts.c.id == recon_account_id, recon_accounts.c.institution_id == institution_id))).first()
        if row is None:
            raise E.NotFound("reconciled account", recon_account_id)
        return _account(row)

    async def list_accounts(self, institution_id: UUID) -> list[ReconAccount]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(recon_accounts).where(recon_accounts.c.institution_id == institution_id).order_by(recon_accounts.c.bank_account, recon_accounts.c.currency))).all()
        return [_account(r) for r in rows]

    # -- CSV column mappings ------------------------------------------------------------------

    async def save_csv_mapping(self, institution_id: UUID, name: str, mapping: dict[str, Any], *, actor: str) -> dict[str, Any]:
        """Save (or replace) a named CSV column mapping; validated before it is kept."""
        from .parsers.csvfmt import CsvMapping

        if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").isalnum():
            raise E.InvalidInput("mapping name must be 1 to 64 letters, digits, '-' or '_'", field="name")
        try:
            parsed = CsvMapping.from_dict(mapping)
        except E.LedgerError:
            raise
        except (TypeError, ValueError, KeyError) as exc:
            raise E.InvalidInput(f"invalid CSV mapping: {exc}", field="mapping") from None
        stored = parsed.to_dict()

        async def work(conn):
            exists = (await conn.execute(select(recon_csv_mappings.c.name).where(recon_csv_mappings.c.institution_id == institution_id, recon_csv_mappings.c.name == name))).first()
            values = dict(mapping=stored, updated_by=actor, updated_at=_now())
            if exists:
                await conn.execute(update(recon_csv_mappings).where(recon_csv_mappings.c.institution_id == institution_id, recon_csv_mappings.c.name == name).values(**values))
            else:
                await conn.execute(recon_csv_mappings.insert().values(institution_id=institution_id, name=name, **values))

        await self._tx(work)
        return stored

    async def csv_mappings(self, institution_id: UUID) -> dict[str, dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(recon_csv_mappings).where(recon_csv_mappings.c.institution_id == institution_id).order_by(recon_csv_mappings.c.name))).all()
        return {r.name: r.mapping for r in rows}

    async def _csv_mapping(self, institution_id: UUID, name: str):
        from .parsers.csvfmt import CsvMapping

        maps = await self.csv_mappings(institution_id)
        if name not in maps:
            raise E.NotFound("CSV mapping", name)
        return CsvMapping.from_dict(maps[name])

    # -- statement import -----------------------------------------------------------------------

    async def import_statement(
        self, institution_id: UUID, stream: BinaryIO, *, filename: str = "", fmt: str | None = None, csv_mapping: str | None = None,
        actor: str = "operator", progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Import every statement of a file, all or nothing.

        Raises StatementRejected (naming the line or element at fault) for a
        broken file and UnknownBankAccount for a statement of an account that is
        not under reconciliation; in both cases nothing is imported."""
        from .parsers import parse_statement

        mapping = await self._csv_mapping(institution_id, csv_mapping) if csv_mapping else None
        if fmt == "csv" and mapping is None:
            raise E.InvalidInput("a CSV statement needs a saved column mapping (csv_mapping)", field="csv_mapping")
        # a statement without an id of its own (CSV without a statement id
        # column) is identified by the file's digest: importing it twice imports it once
        default_sid = None
        try:
            if stream.seekable():
                start = stream.tell()
                digest = hashlib.sha256()
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
                stream.seek(start)
                default_sid = f"sha256:{digest.hexdigest()[:40]}"
        except (OSError, AttributeError):
            default_sid = None
        reader = _HashingReader(stream, progress)
        events = parse_statement(io.BufferedReader(reader, 1 << 16), fmt=fmt, csv_mapping=mapping)
        result = ImportResult(filename=filename[:255], sha256="", bytes=0)

        async def work(conn: AsyncConnection):
            result.statements.clear()
            await self._import_events(conn, institution_id, events, reader, result, filename=filename, actor=actor, default_statement_id=default_sid)

        # one attempt: the stream cannot be replayed on a serialization retry
        async with self.engine.begin() as conn:
            await work(conn)
        return result

    async def _import_events(self, conn, institution_id, events: Iterable[M.StatementEvent], reader: _HashingReader | None, result: ImportResult, *, filename: str, actor: str, default_statement_id: str | None = None) -> None:
        accounts = {(a.bank_account, a.currency): a for a in await self._accounts_on(conn, institution_id)}
        now = _now()
        header: M.StatementHeader | None = None
        acct: ReconAccount | None = None
        stmt_row_id: UUID | None = None
        duplicate = False
        rows: list[dict[str, Any]] = []
        count = credits = debits = 0
        imported: list[ImportedStatement] = []

        async def flush():
            if rows:
                await conn.execute(recon_lines.insert(), rows)
                rows.clear()

        def resolve(h: M.StatementHeader, currency: str | None) -> ReconAccount:
            key = (h.account or "").replace(" ", "")
            if currency:
                found = accounts.get((key, currency))
            else:
                cands = [a for (b, _c), a in accounts.items() if b == key]
                found = cands[0] if len(cands) == 1 else None
            if found is None:
                raise UnknownBankAccount(
                    f"statement {h.statement_id} is for bank account {key} {currency or ''}, which is not under reconciliation",
                    bank_account=key, currency=currency, statement_id=h.statement_id,
                )
            return found

        async def open_statement(h: M.StatementHeader, currency: str | None) -> None:
            nonlocal acct, stmt_row_id, duplicate, header
            if not h.statement_id:
                h = header = replace(h, statement_id=default_statement_id or f"import:{uuid7()}")
            acct = resolve(h, currency)
            dup = (await conn.execute(select(recon_statements.c.id).where(
                recon_statements.c.institution_id == institution_id, recon_statements.c.recon_account_id == acct.id,
                recon_statements.c.statement_id == h.statement_id[:128],
            ))).first()
            duplicate = dup is not None
            stmt_row_id = dup.id if dup else uuid7()
            if not duplicate:
                # the row first (lines point at it); counts and balances at the footer
                await conn.execute(recon_statements.insert().values(
                    id=stmt_row_id, institution_id=institution_id, recon_account_id=acct.id, format=h.format, statement_id=h.statement_id[:128],
                    message_id=(h.message_id or None) and h.message_id[:128], sequence=(h.sequence or None) and h.sequence[:64],
                    opening_balance_minor=h.opening_balance_minor, closing_balance_minor=None, opening_date=h.opening_balance_date, closing_date=None,
                    entry_count=0, credits_minor=0, debits_minor=0, balance_mismatch_minor=None, file_sha256="", filename=(filename or "")[:255],
                    imported_by=actor[:128], imported_at=now,
                ))

        for ev in events:
            if isinstance(ev, M.StatementHeader):
                header, acct, stmt_row_id, duplicate = ev, None, None, False
                count = credits = debits = 0
                if ev.currency:
                    await open_statement(ev, ev.currency)
            elif isinstance(ev, M.StatementEntry):
                if header is None:
                    raise M.StatementRejected("statement entry outside a statement", format="unknown", position=ev.position or "entry")
                if acct is None:
                    await open_statement(header, ev.currency)
                if ev.currency != acct.currency:
                    raise M.StatementRejected(
                        f"entry in {ev.currency} on a {acct.currency} account", format=header.format, position=ev.position or f"entry {ev.index}",
                    )
                vdate = ev.value_date or ev.booking_date
                if vdate is None:
                    raise M.StatementRejected("entry has neither value date nor booking date", format=header.format, position=ev.position or f"entry {ev.index}")
                count += 1
                if ev.amount_minor >= 0:
                    credits += ev.amount_minor
                else:
                    debits -= ev.amount_minor
                if duplicate:
                    continue
                rows.append(dict(
                    id=uuid7(), institution_id=institution_id, recon_account_id=acct.id, statement_row_id=stmt_row_id, parent_line_id=None, idx=ev.index,
                    amount_minor=ev.amount_minor, currency=ev.currency, booking_date=ev.booking_date, value_date=vdate,
                    end_to_end_ref=_clean_ref(ev.end_to_end_ref), bank_ref=_clean_ref(ev.bank_ref), reference=(_clean_ref(ev.reference) or None) and str(ev.reference)[:256],
                    description=(ev.description or "")[:500], counterparty_name=(ev.counterparty_name or None) and ev.counterparty_name[:200],
                    counterparty_account=(ev.counterparty_account or None) and ev.counterparty_account[:64], bank_tx_code=(ev.bank_tx_code or None) and ev.bank_tx_code[:64],
                    charges_minor=ev.charges_minor, status="open", created_at=now,
                ))
                if len(rows) >= _CHUNK:
                    await flush()
            elif isinstance(ev, M.StatementFooter):
                if header is None:
                    continue
                if acct is None:
                    await open_statement(header, header.currency)
                await flush()
                mismatch = None
                if header.opening_balance_minor is not None and ev.closing_balance_minor is not None:
                    diff = header.opening_balance_minor + credits - debits - ev.closing_balance_minor
                    mismatch = diff or None
                info = ImportedStatement(
                    id=stmt_row_id, statement_id=header.statement_id, account=acct.bank_account, currency=acct.currency, format=header.format,
                    entries=count, duplicate=duplicate, balance_mismatch_minor=mismatch,
                )
                imported.append(info)
                if not duplicate:
                    await conn.execute(update(recon_statements).where(recon_statements.c.id == stmt_row_id).values(
                        closing_balance_minor=ev.closing_balance_minor, closing_date=ev.closing_balance_date, entry_count=count, credits_minor=credits,
                        debits_minor=debits, balance_mismatch_minor=mismatch,
                    ))
                header, acct = None, None
        if header is not None:
            raise M.StatementRejected("file ends inside a statement", format=header.format, position="end of file")
        await flush()
        if reader is not None:
            reader.drain()
            result.sha256, result.bytes = reader.sha.hexdigest(), reader.bytes
            new_ids = [s.id for s in imported if not s.duplicate]
            if new_ids:
                await conn.execute(update(recon_statements).where(recon_statements.c.id.in_(new_ids)).values(file_sha256=result.sha256))
        result.statements.extend(imported)
        fresh = [s for s in imported if not s.duplicate]
        if fresh:
            await emit_event(conn, institution_id, "recon.statement_imported", {
                "statements": [{"id": str(s.id), "statement_id": s.statement_id, "entries": s.entries} for s in fresh], "sha256": result.sha256,
            })
        await record_audit(conn, institution_id=institution_id, actor_type="user" if actor.startswith("user:") else "system", actor_id=actor,
                           action="recon.statement_imported", object_type="statement_file", object_id=result.sha256 or "events",
                           after={"filename": filename[:255], "statements": len(imported), "new": len(fresh), "lines": sum(s.entries for s in fresh)})

    async def import_events(self, institution_id: UUID, events: Iterable[M.StatementEvent], *, filename: str = "", actor: str = "operator") -> ImportResult:
        """Import already-parsed statement events (generators, tests, benchmarks)."""
        result = ImportResult(filename=filename, sha256="", bytes=0)
        async with self.engine.begin() as conn:
            await self._import_events(conn, institution_id, events, None, result, filename=filename, actor=actor)
        return result

    async def list_statements(self, institution_id: UUID, *, limit: int = 100) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(recon_statements, recon_accounts.c.bank_account, recon_accounts.c.currency).join(
                recon_accounts, recon_accounts.c.id == recon_statements.c.recon_account_id).where(
                recon_statements.c.institution_id == institution_id).order_by(recon_statements.c.imported_at.desc()).limit(limit))).all()
        return [dict(r._mapping) for r in rows]

    async def _accounts_on(self, conn, institution_id: UUID) -> list[ReconAccount]:
        rows = (await conn.execute(select(recon_accounts).where(recon_accounts.c.institution_id == institution_id))).all()
        return [_account(r) for r in rows]

    # -- matching ---------------------------------------------------------------------------------

    async def _load_open(self, conn, acct: ReconAccount) -> tuple[list[M.LineForMatch], list[M.EntryForMatch]]:
        line_rows = (await conn.execute(select(
            recon_lines.c.id, recon_lines.c.amount_minor, recon_lines.c.currency, recon_lines.c.value_date, recon_lines.c.end_to_end_ref,
            recon_lines.c.reference, recon_lines.c.description,
        ).where(recon_lines.c.recon_account_id == acct.id, recon_lines.c.status == "open"))).all()
        lines = [
            M.LineForMatch(id=str(r.id), amount_minor=int(r.amount_minor), currency=r.currency, value_date=r.value_date,
                           references=tuple(x for x in (r.end_to_end_ref, r.reference) if x), description=r.description or "")
            for r in line_rows
        ]
        entries = await self._unmatched_entries(conn, acct)
        return lines, entries

    async def _unmatched_entries(self, conn, acct: ReconAccount, *, only: Sequence[tuple[UUID, int]] | None = None) -> list[M.EntryForMatch]:
        sign = await self._sign(conn, acct)
        p, t, me = postings_t, transactions_t, recon_match_entries
        stmt = (
            select(p.c.transaction_id, p.c.line_no, p.c.amount, p.c.currency, p.c.effective_date, t.c.metadata, t.c.idempotency_key, t.c.description)
            .select_from(p.join(t, t.c.id == p.c.transaction_id).outerjoin(me, and_(me.c.transaction_id == p.c.transaction_id, me.c.line_no == p.c.line_no)))
            .where(p.c.account_id == acct.ledger_account_id, p.c.phase == "posted", p.c.effective_date >= acct.start_date, me.c.match_id.is_(None))
        )
        if only is not None:
            if not only:
                return []
            stmt = stmt.where(p.c.transaction_id.in_(sorted({tx for tx, _ in only})))
        rows = (await conn.execute(stmt)).all()
        wanted = set(only) if only is not None else None
        out = []
        for r in rows:
            if wanted is not None and (r.transaction_id, r.line_no) not in wanted:
                continue
            out.append(M.EntryForMatch(
                id=entry_id(r.transaction_id, r.line_no), amount_minor=sign * int(r.amount), currency=r.currency, value_date=r.effective_date,
                references=_entry_refs(r.metadata, r.idempotency_key), description=r.description or "",
            ))
        return out

    async def _sign(self, conn, acct: ReconAccount) -> int:
        """+1 when a debit on the mirror account is money in at the bank (an asset), else -1."""
        kind = (await conn.execute(select(accounts_t.c.type).where(accounts_t.c.id == acct.ledger_account_id))).scalar_one()
        return 1 if kind in ("asset", "expense") else -1

    async def run_matching(self, institution_id: UUID, *, recon_account_id: UUID | None = None, actor: str = "system:matcher") -> list[RunResult]:
        """Run the automatic rules on every reconciled account (or one)."""
        from .matching import match

        accts = [await self.get_account(institution_id, recon_account_id)] if recon_account_id else await self.list_accounts(institution_id)
        results = []
        for acct in accts:
            started = _now()

            async def work(conn, acct=acct, started=started):
                lines, entries = await self._load_open(conn, acct)
                outcome = match(lines, entries, acct.config)
                run_id = uuid7()
                counts: dict[str, int] = defaultdict(int)
                fee_proposals = 0
                m_rows, ml_rows, me_rows, matched_lines, prop_rows = [], [], [], [], []
                now = _now()
                for m in outcome.matches:
                    mid = uuid7()
                    counts[m.rule] += 1
                    pending_fee = m.difference_minor != 0
                    m_rows.append(dict(id=mid, institution_id=institution_id, recon_account_id=acct.id, rule=m.rule, difference_minor=m.difference_minor,
                                       status="pending_fee" if pending_fee else "matched", fee_transaction_id=None, proposal_id=None, run_id=run_id,
                                       created_by=actor[:128], created_at=now))
                    for lid in m.line_ids:
                        ml_rows.append(dict(match_id=mid, line_id=UUID(lid)))
                        matched_lines.append(UUID(lid))
                    for eid in m.entry_ids:
                        tx, ln = _parse_entry_id(eid)
                        me_rows.append(dict(match_id=mid, institution_id=institution_id, recon_account_id=acct.id, transaction_id=tx, line_no=ln))
                    if pending_fee:
                        fee_proposals += 1
                        prop_rows.append(dict(
                            id=uuid7(), institution_id=institution_id, recon_account_id=acct.id, kind="fee", status="pending", maker_id=actor[:128],
                            maker_name="automatic matcher", approver_id=None, approver_name=None, decided_at=None,
                            payload={"match_id": str(mid), "line_ids": list(m.line_ids), "entry_ids": list(m.entry_ids), "fee_minor": -m.difference_minor},
                            note=f"bank charges of {format_minor(-m.difference_minor, acct.currency)} {acct.currency} within tolerance",
                            reason=None, transaction_id=None, match_id=mid, created_at=now,
                        ))
                for chunk_rows, table in ((m_rows, recon_matches), (ml_rows, recon_match_lines), (me_rows, recon_match_entries), (prop_rows, recon_proposals)):
                    for i in range(0, len(chunk_rows), _CHUNK):
                        await conn.execute(table.insert(), chunk_rows[i:i + _CHUNK])
                for i in range(0, len(matched_lines), _CHUNK):
                    await conn.execute(update(recon_lines).where(recon_lines.c.id.in_(matched_lines[i:i + _CHUNK])).values(status="matched"))
                await conn.execute(recon_runs.insert().values(
                    id=run_id, institution_id=institution_id, recon_account_id=acct.id, actor=actor[:128], lines_considered=len(lines),
                    entries_considered=len(entries), counts=dict(counts), started_at=started, finished_at=_now(),
                ))
                if m_rows:
                    await emit_event(conn, institution_id, "recon.matching_run", {"run_id": str(run_id), "recon_account_id": str(acct.id), "counts": dict(counts)})
                return RunResult(
                    run_id=run_id, recon_account_id=acct.id, lines_considered=len(lines), entries_considered=len(entries), counts=dict(counts),
                    unmatched_lines=len(outcome.unmatched_line_ids), unmatched_entries=len(outcome.unmatched_entry_ids), fee_proposals=fee_proposals,
                )

            results.append(await self._tx(work))
        return results

    # -- exceptions queue ---------------------------------------------------------------------------

    async def exceptions(
        self, institution_id: UUID, *, side: str | None = None, recon_account_id: UUID | None = None, as_of: date | None = None, limit: int = 200, offset: int = 0,
    ) -> list[ExceptionItem]:
        """Open statement lines and unmatched ledger entries, oldest first, with their age in days."""
        if side not in (None, "line", "entry"):
            raise E.InvalidInput("side must be 'line' or 'entry'", field="side")
        as_of = as_of or date.today()
        accts = [await self.get_account(institution_id, recon_account_id)] if recon_account_id else await self.list_accounts(institution_id)
        in_proposal = await self._ids_in_pending_proposals(institution_id)
        items: list[ExceptionItem] = []
        async with self.engine.connect() as conn:
            for acct in accts:
                if side in (None, "line"):
                    rows = (await conn.execute(select(recon_lines).where(recon_lines.c.recon_account_id == acct.id, recon_lines.c.status == "open"))).all()
                    for r in rows:
                        items.append(ExceptionItem(
                            side="line", id=str(r.id), recon_account_id=acct.id, amount_minor=int(r.amount_minor), currency=r.currency, value_date=r.value_date,
                            reference=r.end_to_end_ref or r.reference or r.bank_ref, description=r.description, age_days=max(0, (as_of - r.value_date).days),
                        ))
                if side in (None, "entry"):
                    for e in await self._unmatched_entries(conn, acct):
                        items.append(ExceptionItem(
                            side="entry", id=e.id, recon_account_id=acct.id, amount_minor=e.amount_minor, currency=e.currency, value_date=e.value_date,
                            reference=e.references[0] if e.references else None, description=e.description, age_days=max(0, (as_of - e.value_date).days),
                        ))
        items = [i for i in items if i.id not in in_proposal]
        items.sort(key=lambda i: (i.value_date, i.side, i.id))
        return items[offset:offset + limit]

    async def _ids_in_pending_proposals(self, institution_id: UUID) -> set[str]:
        out: set[str] = set()
        for p in await self.proposals(institution_id, status="pending"):
            if p.kind != "fee":
                out.update(p.line_ids)
                out.update(p.entry_ids)
        return out

    async def matches(self, institution_id: UUID, *, recon_account_id: UUID | None = None, limit: int = 200) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            stmt = select(recon_matches).where(recon_matches.c.institution_id == institution_id)
            if recon_account_id:
                stmt = stmt.where(recon_matches.c.recon_account_id == recon_account_id)
            rows = (await conn.execute(stmt.order_by(recon_matches.c.created_at.desc(), recon_matches.c.id.desc()).limit(limit))).all()
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

    # -- maker-checker --------------------------------------------------------------------------------

    async def propose(
        self, institution_id: UUID, *, kind: str, maker: Actor, line_ids: Sequence[str] = (), entry_ids: Sequence[str] = (),
        parts: Sequence[dict[str, Any]] = (), adjustment: dict[str, Any] | None = None, note: str = "",
    ) -> Proposal:
        """Record a manual match, split or adjustment for a second person to approve.

        Checked now and again at approval: the lines are open, the entries
        unmatched, and the amounts add up (manual match: lines = entries, or
        within the bank-charges tolerance; split: the parts add up to the
        line).  Nothing is matched or posted until approval."""
        if kind not in ("manual_match", "split", "adjustment"):
            raise E.InvalidInput("kind must be manual_match, split or adjustment", field="kind")
        if not (maker.roles & {"finance", "approver", "admin"}):
            raise E.LedgerError("only finance staff may propose reconciliation actions", role=sorted(maker.roles))
        line_uuids = [_parse_line_id(x) for x in line_ids]
        entry_keys = [_parse_entry_id(x) for x in entry_ids]
        if len(set(line_uuids)) != len(line_uuids) or len(set(entry_keys)) != len(entry_keys):
            raise E.InvalidInput("the same line or entry is listed twice", field="line_ids")
        payload: dict[str, Any] = {"line_ids": [str(x) for x in line_uuids], "entry_ids": [entry_id(*k) for k in entry_keys]}
        async with self.engine.connect() as conn:
            acct = await self._account_of(conn, institution_id, line_uuids, entry_keys, adjustment)
            await self._check_available(conn, institution_id, acct, line_uuids, entry_keys)
            if kind == "manual_match":
                payload["difference_minor"] = await self._check_match_sums(conn, acct, line_uuids, entry_keys)
            elif kind == "split":
                payload["parts"] = await self._check_split(conn, acct, line_uuids, entry_keys, parts)
            else:
                payload["adjustment"] = await self._check_adjustment(conn, institution_id, acct, line_uuids, entry_keys, adjustment or {})
        pid = uuid7()
        now = _now()

        async def work(conn):
            await conn.execute(recon_proposals.insert().values(
                id=pid, institution_id=institution_id, recon_account_id=acct.id, kind=kind, status="pending", maker_id=maker.id[:128], maker_name=(maker.name or maker.id)[:128],
                approver_id=None, approver_name=None, decided_at=None, payload=payload, note=(note or "")[:500], reason=None, transaction_id=None, match_id=None, created_at=now,
            ))
            await record_audit(conn, institution_id=institution_id, actor_type="user", actor_id=maker.id, action="recon.proposal_created", object_type="recon_proposal",
                               object_id=str(pid), after={"kind": kind, **_audit_payload(payload)})
            await emit_event(conn, institution_id, "recon.proposal_created", {"proposal_id": str(pid), "kind": kind})

        await self._tx(work)
        return await self.get_proposal(institution_id, pid)

    async def _account_of(self, conn, institution_id, line_uuids, entry_keys, adjustment) -> ReconAccount:
        acct_ids: set[UUID] = set()
        if line_uuids:
            rows = (await conn.execute(select(recon_lines.c.id, recon_lines.c.recon_account_id).where(recon_lines.c.id.in_(line_uuids), recon_lines.c.institution_id == institution_id))).all()
            found = {r.id for r in rows}
            for lid in line_uuids:
                if lid not in found:
                    raise E.NotFound("statement line", lid)
            acct_ids |= {r.recon_account_id for r in rows}
        if entry_keys:
            rows = (await conn.execute(select(postings_t.c.transaction_id, postings_t.c.line_no, postings_t.c.account_id).where(
                postings_t.c.transaction_id.in_(sorted({k[0] for k in entry_keys})), postings_t.c.institution_id == institution_id))).all()
            by_key = {(r.transaction_id, r.line_no): r.account_id for r in rows}
            ledger_accounts = set()
            for k in entry_keys:
                if k not in by_key:
                    raise E.NotFound("ledger entry", entry_id(*k))
                ledger_accounts.add(by_key[k])
            accts = (await conn.execute(select(recon_accounts.c.id, recon_accounts.c.ledger_account_id).where(
                recon_accounts.c.ledger_account_id.in_(sorted(ledger_accounts)), recon_accounts.c.institution_id == institution_id))).all()
            if len(accts) != len(ledger_accounts):
                raise E.InvalidInput("a ledger entry is not on an account under reconciliation", field="entry_ids")
            acct_ids |= {r.id for r in accts}
        if not acct_ids and adjustment and adjustment.get("recon_account_id"):
            try:
                acct_ids.add(UUID(str(adjustment["recon_account_id"])))
            except ValueError:
                raise E.InvalidInput("recon_account_id is not a UUID", field="recon_account_id") from None
        if not acct_ids:
            raise E.InvalidInput("name at least one statement line or ledger entry (or the account of an adjustment)", field="line_ids")
        if len(acct_ids) > 1:
            raise E.InvalidInput("lines and entries must belong to one reconciled account", field="line_ids")
        row = (await conn.execute(select(recon_accounts).where(recon_accounts.c.id == acct_ids.pop(), recon_accounts.c.institution_id == institution_id))).first()
        if row is None:
            raise E.NotFound("reconciled account", adjustment.get("recon_account_id") if adjustment else "?")
        return _account(row)

    async def _check_available(self, conn, institution_id, acct, line_uuids, entry_keys, *, ignore_proposal: UUID | None = None) -> None:
        if line_uuids:
            rows = (await conn.execute(select(recon_lines.c.id, recon_lines.c.status).where(recon_lines.c.id.in_(line_uuids)))).all()
            taken = [str(r.id) for r in rows if r.status != "open"]
            if taken:
                raise AlreadyMatched("statement line already matched or split", line_ids=taken)
        if entry_keys:
            rows = (await conn.execute(select(recon_match_entries.c.transaction_id, recon_match_entries.c.line_no).where(
                recon_match_entries.c.transaction_id.in_(sorted({k[0] for k in entry_keys}))))).all()
            wanted = set(entry_keys)
            taken = [entry_id(r.transaction_id, r.line_no) for r in rows if (r.transaction_id, r.line_no) in wanted]
            if taken:
                raise AlreadyMatched("ledger entry already matched", entry_ids=taken)
        # an item may sit in one pending proposal at a time
        pending = (await conn.execute(select(recon_proposals.c.id, recon_proposals.c.payload).where(
            recon_proposals.c.institution_id == institution_id, recon_proposals.c.status == "pending", recon_proposals.c.kind != "fee"))).all()
        mine = {str(x) for x in line_uuids} | {entry_id(*k) for k in entry_keys}
        for p in pending:
            if p.id == ignore_proposal:
                continue
            busy = mine & (set(p.payload.get("line_ids", [])) | set(p.payload.get("entry_ids", [])))
            if busy:
                raise AlreadyMatched("already in a pending proposal", proposal_id=str(p.id), ids=sorted(busy))

    async def _line_sum(self, conn, line_uuids) -> tuple[int, list[Any]]:
        if not line_uuids:
            return 0, []
        rows = (await conn.execute(select(recon_lines).where(recon_lines.c.id.in_(line_uuids)))).all()
        return sum(int(r.amount_minor) for r in rows), rows

    async def _entry_sum(self, conn, acct, entry_keys) -> int:
        entries = await self._unmatched_entries(conn, acct, only=entry_keys)
        if len(entries) != len(entry_keys):
            got = {e.id for e in entries}
            missing = [entry_id(*k) for k in entry_keys if entry_id(*k) not in got]
            raise AlreadyMatched("ledger entry not available for matching", entry_ids=missing)
        return sum(e.amount_minor for e in entries)

    async def _check_match_sums(self, conn, acct, line_uuids, entry_keys) -> int:
        if not line_uuids or not entry_keys:
            raise E.InvalidInput("a manual match needs at least one statement line and one ledger entry", field="line_ids")
        lines_total, _ = await self._line_sum(conn, line_uuids)
        entries_total = await self._entry_sum(conn, acct, entry_keys)
        diff = lines_total - entries_total
        if diff != 0:
            tol = _charge_tolerance(acct.config, acct.currency, entries_total)
            if not (diff < 0 and -diff <= tol and acct.fee_account_id is not None):
                raise MatchDoesNotBalance(
                    f"statement lines total {format_minor(lines_total, acct.currency)} but ledger entries {format_minor(entries_total, acct.currency)} {acct.currency}",
                    lines_total=format_minor(lines_total, acct.currency), entries_total=format_minor(entries_total, acct.currency),
                    difference=format_minor(diff, acct.currency), tolerance=format_minor(tol, acct.currency), currency=acct.currency,
                )
        return diff

    async def _check_split(self, conn, acct, line_uuids, entry_keys, parts) -> list[dict[str, Any]]:
        if len(line_uuids) != 1 or entry_keys:
            raise E.InvalidInput("a split names exactly one statement line and no ledger entries", field="line_ids")
        total, rows = await self._line_sum(conn, line_uuids)
        amounts = []
        for i, part in enumerate(parts or []):
            a = part.get("amount_minor") if isinstance(part, dict) else None
            if not isinstance(a, int) or isinstance(a, bool) or a == 0 or (a > 0) != (total > 0):
                raise E.InvalidInput(f"part {i}: amount_minor must be a non-zero integer with the line's sign", field="parts")
            amounts.append(a)
        if len(amounts) < 2:
            raise E.InvalidInput("a split has at least two parts", field="parts")
        if sum(amounts) != total:
            raise MatchDoesNotBalance(
                f"parts total {format_minor(sum(amounts), acct.currency)} but the line is {format_minor(total, acct.currency)} {acct.currency}",
                parts_total=format_minor(sum(amounts), acct.currency), line_total=format_minor(total, acct.currency), currency=acct.currency,
            )
        return [{"amount_minor": a} for a in amounts]

    async def _check_adjustment(self, conn, institution_id, acct, line_uuids, entry_keys, adj: dict[str, Any]) -> dict[str, Any]:
        if entry_keys:
            raise E.InvalidInput("an adjustment names statement lines only (it creates the ledger entry)", field="entry_ids")
        amount = adj.get("amount_minor")
        lines_total, _ = await self._line_sum(conn, line_uuids)
        if amount is None and line_uuids:
            amount = lines_total
        if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
            raise E.InvalidInput("adjustment amount_minor must be a non-zero integer (+ money in at the bank, - money out)", field="amount_minor")
        if line_uuids and amount != lines_total:
            raise MatchDoesNotBalance(
                f"adjustment of {format_minor(amount, acct.currency)} does not equal the lines' {format_minor(lines_total, acct.currency)} {acct.currency}",
                currency=acct.currency,
            )
        counter = adj.get("counter_account_id") or acct.adjustment_account_id
        if counter is None:
            raise E.InvalidInput("no counter account: give counter_account_id or set the reconciled account's adjustment account", field="counter_account_id")
        try:
            counter = UUID(str(counter))
        except ValueError:
            raise E.InvalidInput("counter_account_id is not a UUID", field="counter_account_id") from None
        counter_row = (await conn.execute(select(accounts_t.c.currency).where(accounts_t.c.id == counter, accounts_t.c.institution_id == institution_id))).first()
        if counter_row is None:
            raise E.NotFound("account", counter)
        if counter_row.currency != acct.currency:
            raise E.InvalidInput(f"counter account is in {counter_row.currency}, not {acct.currency}", field="counter_account_id")
        if counter == acct.ledger_account_id:
            raise E.InvalidInput("counter account must differ from the reconciled account", field="counter_account_id")
        value_date = adj.get("value_date") or date.today().isoformat()
        try:
            value_date = date.fromisoformat(str(value_date))
        except ValueError:
            raise E.InvalidInput("value_date must be YYYY-MM-DD", field="value_date") from None
        description = str(adj.get("description") or "reconciliation adjustment")[:300]
        return {"amount_minor": amount, "counter_account_id": str(counter), "value_date": value_date.isoformat(), "description": description,
                "recon_account_id": str(acct.id)}

    async def get_proposal(self, institution_id: UUID, proposal_id: UUID) -> Proposal:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(recon_proposals).where(recon_proposals.c.id == proposal_id, recon_proposals.c.institution_id == institution_id))).first()
        if row is None:
            raise E.NotFound("proposal", proposal_id)
        return _proposal(row)

    async def proposals(self, institution_id: UUID, *, status: str | None = "pending", limit: int = 500) -> list[Proposal]:
        if status not in (None, "pending", "approved", "rejected"):
            raise E.InvalidInput("status must be pending, approved or rejected", field="status")
        async with self.engine.connect() as conn:
            stmt = select(recon_proposals).where(recon_proposals.c.institution_id == institution_id)
            if status:
                stmt = stmt.where(recon_proposals.c.status == status)
            rows = (await conn.execute(stmt.order_by(recon_proposals.c.created_at, recon_proposals.c.id).limit(limit))).all()
        return [_proposal(r) for r in rows]

    def _check_approver(self, proposal: Proposal, approver: Actor) -> None:
        if "approver" not in approver.roles:
            raise ApproverRoleRequired("approving needs the approver role", roles=sorted(approver.roles))
        if approver.id == proposal.maker_id:
            raise SelfApprovalRefused("the maker of a proposal cannot approve it; another approver must", proposal_id=str(proposal.id), maker=proposal.maker_name)

    async def approve(self, institution_id: UUID, proposal_id: UUID, *, approver: Actor) -> Proposal:
        """Approve a pending proposal: match, split, or post the adjustment or fee.

        Raises SelfApprovalRefused for its maker, ApproverRoleRequired without
        the approver role, ProposalNotPending when already decided, and
        AlreadyMatched when an item was matched meanwhile; in every refusal
        nothing changes."""
        prop = await self.get_proposal(institution_id, proposal_id)
        self._check_approver(prop, approver)
        if prop.status != "pending":
            raise ProposalNotPending(f"proposal is already {prop.status}", status=prop.status)
        acct = await self.get_account(institution_id, prop.recon_account_id)

        async def work(conn: AsyncConnection):
            now = _now()
            claimed = await conn.execute(update(recon_proposals).where(
                recon_proposals.c.id == proposal_id, recon_proposals.c.institution_id == institution_id, recon_proposals.c.status == "pending",
            ).values(status="approved", approver_id=approver.id[:128], approver_name=(approver.name or approver.id)[:128], decided_at=now))
            if claimed.rowcount != 1:
                raise ProposalNotPending("proposal was decided meanwhile", status="decided")
            line_uuids = [UUID(x) for x in prop.line_ids]
            entry_keys = [_parse_entry_id(x) for x in prop.entry_ids]
            tx_id = match_id = None
            if prop.kind == "fee":
                match_id = UUID(prop.payload["match_id"])
                tx_id = await self._post_fee(conn, institution_id, acct, match_id, int(prop.payload["fee_minor"]), proposal_id)
                await conn.execute(update(recon_matches).where(recon_matches.c.id == match_id).values(status="matched", fee_transaction_id=tx_id, proposal_id=proposal_id))
            else:
                await self._check_available(conn, institution_id, acct, line_uuids, entry_keys, ignore_proposal=proposal_id)
                if prop.kind == "manual_match":
                    diff = await self._check_match_sums(conn, acct, line_uuids, entry_keys)
                    match_id = await self._record_match(conn, institution_id, acct, line_uuids, entry_keys, rule=M.RULE_MANUAL, diff=diff, proposal_id=proposal_id, actor=approver.id)
                    if diff:
                        tx_id = await self._post_fee(conn, institution_id, acct, match_id, -diff, proposal_id)
                        await conn.execute(update(recon_matches).where(recon_matches.c.id == match_id).values(fee_transaction_id=tx_id))
                elif prop.kind == "split":
                    await self._apply_split(conn, institution_id, acct, line_uuids[0], prop.payload["parts"])
                else:
                    adj = prop.payload["adjustment"]
                    tx_id, line_no = await self._post_adjustment(conn, institution_id, acct, adj, proposal_id)
                    if line_uuids:
                        match_id = await self._record_match(conn, institution_id, acct, line_uuids, [(tx_id, line_no)], rule=M.RULE_MANUAL, diff=0,
                                                            proposal_id=proposal_id, actor=approver.id)
            await conn.execute(update(recon_proposals).where(recon_proposals.c.id == proposal_id).values(transaction_id=tx_id, match_id=match_id))
            await record_audit(conn, institution_id=institution_id, actor_type="user", actor_id=approver.id, action="recon.proposal_approved",
                               object_type="recon_proposal", object_id=str(proposal_id), before={"status": "pending"},
                               after={"status": "approved", "kind": prop.kind, "transaction_id": str(tx_id) if tx_id else None})
            await emit_event(conn, institution_id, "recon.proposal_approved", {"proposal_id": str(proposal_id), "kind": prop.kind, "transaction_id": str(tx_id) if tx_id else None})

        await self._tx(work)
        return await self.get_proposal(institution_id, proposal_id)

    async def reject(self, institution_id: UUID, proposal_id: UUID, *, approver: Actor, reason: str = "") -> Proposal:
        """Reject a pending proposal; nothing is matched or posted.  A rejected
        fee proposal undoes its charges match (the items return to the queue)."""
        prop = await self.get_proposal(institution_id, proposal_id)
        if "approver" not in approver.roles and approver.id != prop.maker_id:
            raise ApproverRoleRequired("rejecting needs the approver role (or being the maker, to withdraw)", roles=sorted(approver.roles))
        if prop.status != "pending":
            raise ProposalNotPending(f"proposal is already {prop.status}", status=prop.status)

        async def work(conn):
            claimed = await conn.execute(update(recon_proposals).where(recon_proposals.c.id == proposal_id, recon_proposals.c.status == "pending").values(
                status="rejected", approver_id=approver.id[:128], approver_name=(approver.name or approver.id)[:128], decided_at=_now(), reason=(reason or "")[:500]))
            if claimed.rowcount != 1:
                raise ProposalNotPending("proposal was decided meanwhile", status="decided")
            if prop.kind == "fee":
                await self._undo_match(conn, UUID(prop.payload["match_id"]))
            await record_audit(conn, institution_id=institution_id, actor_type="user", actor_id=approver.id, action="recon.proposal_rejected",
                               object_type="recon_proposal", object_id=str(proposal_id), before={"status": "pending"}, after={"status": "rejected", "reason": (reason or "")[:500]})

        await self._tx(work)
        return await self.get_proposal(institution_id, proposal_id)

    async def _undo_match(self, conn, match_id: UUID) -> None:
        line_ids = [r.line_id for r in (await conn.execute(select(recon_match_lines.c.line_id).where(recon_match_lines.c.match_id == match_id))).all()]
        await conn.execute(recon_match_lines.delete().where(recon_match_lines.c.match_id == match_id))
        await conn.execute(recon_match_entries.delete().where(recon_match_entries.c.match_id == match_id))
        if line_ids:
            await conn.execute(update(recon_lines).where(recon_lines.c.id.in_(line_ids)).values(status="open"))
        await conn.execute(update(recon_matches).where(recon_matches.c.id == match_id).values(status="unmatched"))

    async def _record_match(self, conn, institution_id, acct, line_uuids, entry_keys, *, rule, diff, proposal_id, actor) -> UUID:
        mid = uuid7()
        await conn.execute(recon_matches.insert().values(
            id=mid, institution_id=institution_id, recon_account_id=acct.id, rule=rule, difference_minor=diff, status="matched", fee_transaction_id=None,
            proposal_id=proposal_id, run_id=None, created_by=actor[:128], created_at=_now(),
        ))
        if line_uuids:
            await conn.execute(recon_match_lines.insert(), [dict(match_id=mid, line_id=x) for x in line_uuids])
            await conn.execute(update(recon_lines).where(recon_lines.c.id.in_(line_uuids)).values(status="matched"))
        if entry_keys:
            await conn.execute(recon_match_entries.insert(), [dict(match_id=mid, institution_id=institution_id, recon_account_id=acct.id, transaction_id=t, line_no=n) for t, n in entry_keys])
        return mid

    async def _apply_split(self, conn, institution_id, acct, line_id: UUID, parts: list[dict[str, Any]]) -> None:
        row = (await conn.execute(select(recon_lines).where(recon_lines.c.id == line_id))).one()
        now = _now()
        base = dict(row._mapping)
        children = []
        for i, part in enumerate(parts):
            child = dict(base)
            child.update(id=uuid7(), parent_line_id=line_id, idx=int(row.idx) * 100 + i + 1, amount_minor=int(part["amount_minor"]), status="open", created_at=now,
                         description=(f"part {i + 1}/{len(parts)} of " + (row.description or ""))[:500], charges_minor=None)
            children.append(child)
        await conn.execute(recon_lines.insert(), children)
        await conn.execute(update(recon_lines).where(recon_lines.c.id == line_id).values(status="split"))

    async def _post(self, conn, institution_id, acct, *, amount_bank_view: int, counter_account_id: UUID, value_date: date, description: str, key: str, metadata: dict[str, Any]) -> tuple[UUID, int]:
        """Post money in (+) or out (-) of the reconciled account against a counter account."""
        sign = await self._sign(conn, acct)
        ledger_amount = amount_bank_view * sign  # signed debit on the mirror account
        mirror_side, counter_side = ("debit", "credit") if ledger_amount > 0 else ("credit", "debit")
        mirror_row = (await conn.execute(select(accounts_t.c.ledger_id).where(accounts_t.c.id == acct.ledger_account_id))).scalar_one()
        item = NewTransaction(
            mirror_row, [Posting(acct.ledger_account_id, abs(amount_bank_view), mirror_side), Posting(counter_account_id, abs(amount_bank_view), counter_side)],
            idempotency_key=key, effective_date=value_date, description=description, metadata=metadata,
        )
        res = (await post_batch(conn, institution_id, [item]))[0]
        if not res.ok:
            raise res.error
        return res.transaction_id, 0

    async def _post_fee(self, conn, institution_id, acct, match_id: UUID, fee_minor: int, proposal_id: UUID) -> UUID:
        if acct.fee_account_id is None:
            raise E.InvalidInput("the reconciled account has no fee account for bank charges", field="fee_account_id")
        if fee_minor <= 0:
            raise E.InvalidInput("a bank charge is a positive amount", field="fee_minor")
        vdate = (await conn.execute(select(func.max(recon_lines.c.value_date)).select_from(recon_lines.join(recon_match_lines, recon_match_lines.c.line_id == recon_lines.c.id))
                                    .where(recon_match_lines.c.match_id == match_id))).scalar() or date.today()
        tx, _ = await self._post(conn, institution_id, acct, amount_bank_view=-fee_minor, counter_account_id=acct.fee_account_id, value_date=vdate,
                                 description=f"bank charges (reconciliation match {match_id})", key=f"recon:fee:{match_id}",
                                 metadata={"recon_match_id": str(match_id), "recon_proposal_id": str(proposal_id), "kind": "bank_charges"})
        # the fee posting itself is explained by the same match
        await conn.execute(recon_match_entries.insert().values(match_id=match_id, institution_id=institution_id, recon_account_id=acct.id, transaction_id=tx, line_no=await self._mirror_line_no(conn, tx, acct)))
        return tx

    async def _mirror_line_no(self, conn, tx: UUID, acct) -> int:
        return (await conn.execute(select(postings_t.c.line_no).where(postings_t.c.transaction_id == tx, postings_t.c.account_id == acct.ledger_account_id))).scalar_one()

    async def _post_adjustment(self, conn, institution_id, acct, adj: dict[str, Any], proposal_id: UUID) -> tuple[UUID, int]:
        tx, _ = await self._post(conn, institution_id, acct, amount_bank_view=int(adj["amount_minor"]), counter_account_id=UUID(adj["counter_account_id"]),
                                 value_date=date.fromisoformat(adj["value_date"]), description=adj["description"], key=f"recon:adjustment:{proposal_id}",
                                 metadata={"recon_proposal_id": str(proposal_id), "kind": "reconciliation_adjustment"})
        return tx, await self._mirror_line_no(conn, tx, acct)

    # -- summary ------------------------------------------------------------------------------------

    async def summary(self, institution_id: UUID, *, as_of: date | None = None, days: int = 30) -> dict[str, Any]:
        """Match rate and unmatched items by age, per reconciled account and per day."""
        as_of = as_of or date.today()
        accts = await self.list_accounts(institution_id)
        per_account = []
        daily: dict[date, dict[str, int]] = {}
        since = as_of - timedelta(days=days - 1)
        async with self.engine.connect() as conn:
            for acct in accts:
                rows = (await conn.execute(select(recon_lines.c.status, recon_lines.c.value_date, func.count()).where(
                    recon_lines.c.recon_account_id == acct.id, recon_lines.c.status != "split").group_by(recon_lines.c.status, recon_lines.c.value_date))).all()
                total = matched = 0
                line_ages = {label: 0 for _, _, label in AGE_BUCKETS}
                for status, vdate, n in rows:
                    total += n
                    if status == "matched":
                        matched += n
                    else:
                        line_ages[_bucket((as_of - vdate).days)] += n
                    if since <= vdate <= as_of:
                        d = daily.setdefault(vdate, {"lines": 0, "matched": 0})
                        d["lines"] += n
                        d["matched"] += n if status == "matched" else 0
                entry_ages = {label: 0 for _, _, label in AGE_BUCKETS}
                unmatched_entries = await self._unmatched_entries(conn, acct)
                for e in unmatched_entries:
                    entry_ages[_bucket((as_of - e.value_date).days)] += 1
                rules = dict((await conn.execute(select(recon_matches.c.rule, func.count()).where(
                    recon_matches.c.recon_account_id == acct.id, recon_matches.c.status != "unmatched").group_by(recon_matches.c.rule))).all())
                per_account.append({
                    "recon_account_id": acct.id, "bank_account": acct.bank_account, "currency": acct.currency, "lines": total, "matched_lines": matched,
                    "open_lines": total - matched, "unmatched_entries": len(unmatched_entries), "match_rate": _rate(matched, total),
                    "lines_by_age": line_ages, "entries_by_age": entry_ages, "matches_by_rule": {k: int(v) for k, v in rules.items()},
                })
        pending = len(await self.proposals(institution_id, status="pending"))
        total = sum(a["lines"] for a in per_account)
        matched = sum(a["matched_lines"] for a in per_account)
        return {
            "as_of": as_of, "lines": total, "matched_lines": matched, "match_rate": _rate(matched, total), "pending_proposals": pending, "accounts": per_account,
            "daily": [{"day": d, "lines": v["lines"], "matched": v["matched"], "match_rate": _rate(v["matched"], v["lines"])} for d, v in sorted(daily.items())],
        }


def _rate(n: int, total: int) -> str:
    """A percentage as an exact decimal string with two places ("99.50")."""
    from decimal import ROUND_HALF_UP, Decimal

    if total == 0:
        return "0.00"
    return str((Decimal(n * 100) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _bucket(age: int) -> str:
    for lo, hi, label in AGE_BUCKETS:
        if age >= lo and (hi is None or age <= hi):
            return label
    return AGE_BUCKETS[0][2]  # a value date in the future


def _charge_tolerance(cfg: M.MatchingConfig, currency: str, amount: int) -> int:
    from .matching import charge_tolerance

    return charge_tolerance(cfg, currency, amount)


def _entry_refs(meta: Any, key: str | None) -> tuple[str, ...]:
    refs: list[str] = []
    if isinstance(meta, dict):
        for k in REFERENCE_KEYS:
            v = _clean_ref(meta.get(k))
            if v and v not in refs:
                refs.append(v)
    k = _clean_ref(key)
    if k:
        # an idempotency key names the payment too ('receipt:<ref>' -> '<ref>')
        tail = k.split(":", 1)[1] if ":" in k else None
        for v in (k, tail):
            if v and v not in refs:
                refs.append(v)
    return tuple(refs)


def _audit_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k in ("line_ids", "entry_ids", "parts", "adjustment", "difference_minor")}


def _proposal(row: Any) -> Proposal:
    payload = row.payload or {}
    return Proposal(
        id=row.id, recon_account_id=row.recon_account_id, kind=row.kind, status=row.status, maker_id=row.maker_id, maker_name=row.maker_name,
        approver_id=row.approver_id, approver_name=row.approver_name, decided_at=row.decided_at, line_ids=list(payload.get("line_ids", [])),
        entry_ids=list(payload.get("entry_ids", [])), payload=payload, note=row.note, reason=row.reason, transaction_id=row.transaction_id,
        match_id=row.match_id, created_at=row.created_at,
    )
