"""Statement import: a camt.053/054, MT940 or CSV file streamed into
``recon_lines`` in one transaction (all or nothing; a statement already
imported is skipped)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any, BinaryIO
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.clock import utc_now
from ledger.crypto import Keyring
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7

from .. import model as M
from ..parsers import parse_statement
from ..secrecy import seal_row
from ..tables import (
    recon_accounts,
    recon_line_parts,
    recon_lines,
    recon_statements,
)
from .common import (
    _CHUNK,
    ImportedStatement,
    ImportResult,
    ReconAccount,
    ServiceBase,
    UnknownBankAccount,
    _clean_ref,
)


class _HashingReader(io.RawIOBase):
    """A raw stream wrapper that hashes and counts what the parser reads."""

    def __init__(self, stream: BinaryIO, progress: Callable[[int], None] | None) -> None:
        self._stream = stream
        self._progress = progress
        self.sha = hashlib.sha256()
        self.bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
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

class ImportsMixin(ServiceBase):
    """Import statement files and parsed statement events."""

    # -- statement import -----------------------------------------------------------------------

    async def import_statement(
        self, institution_id: UUID, stream: BinaryIO, *, filename: str = "", fmt: str | None = None, csv_mapping: str | None = None,
        actor: str = "operator", progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Import every statement of a file, all or nothing.

        Raises StatementRejected (naming the line or element at fault) for a
        broken file and UnknownBankAccount for a statement of an account that is
        not under reconciliation; in both cases nothing is imported."""
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

        async def work(conn: AsyncConnection) -> None:
            result.statements.clear()
            await self._import_events(conn, institution_id, events, reader, result, filename=filename, actor=actor, default_statement_id=default_sid)

        # one attempt: the stream cannot be replayed on a serialization retry
        async with self.engine.begin() as conn:
            await work(conn)
        return result

    async def _import_events(
        self, conn: AsyncConnection, institution_id: UUID, events: Iterable[M.StatementEvent], reader: _HashingReader | None, result: ImportResult,
        *, filename: str, actor: str, default_statement_id: str | None = None,
    ) -> None:
        accounts = {(a.bank_account, a.currency): a for a in await self._accounts_on(conn, institution_id)}
        run = _StatementImport(conn, institution_id, accounts, filename=filename, actor=actor, default_statement_id=default_statement_id, keyring=self.keyring)
        for ev in events:
            await run.feed(ev)
        await run.finish()
        imported = run.imported
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

    async def list_statements(self, institution_id: UUID, *, limit: int = 100, after: UUID | None = None) -> list[dict[str, Any]]:
        """Imported statements, newest first (ids are time-ordered); ``after``
        the id of the last statement of a previous page."""
        stmt = select(recon_statements, recon_accounts.c.bank_account, recon_accounts.c.currency).join(
            recon_accounts, recon_accounts.c.id == recon_statements.c.recon_account_id).where(recon_statements.c.institution_id == institution_id)
        if after is not None:
            stmt = stmt.where(recon_statements.c.id < after)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(recon_statements.c.id.desc()).limit(limit))).all()
        return [dict(r._mapping) for r in rows]


class _StatementImport:
    """The state of one import: the statement being read, its running
    totals and the lines waiting to be written (in chunks)."""

    def __init__(
        self, conn: AsyncConnection, institution_id: UUID, accounts: dict[tuple[str, str], ReconAccount], *,
        filename: str, actor: str, default_statement_id: str | None, keyring: Keyring,
    ) -> None:
        self.conn = conn
        self.keyring = keyring
        self.institution_id = institution_id
        self.accounts = accounts
        self.filename = filename
        self.actor = actor
        self.default_statement_id = default_statement_id
        self.now = utc_now()
        self.header: M.StatementHeader | None = None
        self.acct: ReconAccount | None = None
        self.stmt_row_id: UUID | None = None
        self.duplicate = False
        self.rows: list[dict[str, Any]] = []
        self.part_rows: list[dict[str, Any]] = []
        self.count = self.credits = self.debits = 0
        self.imported: list[ImportedStatement] = []

    async def feed(self, ev: M.StatementEvent) -> None:
        if isinstance(ev, M.StatementHeader):
            await self._on_header(ev)
        elif isinstance(ev, M.StatementEntry):
            await self._on_entry(ev)
        elif isinstance(ev, M.StatementFooter):
            await self._on_footer(ev)

    async def finish(self) -> None:
        if self.header is not None:
            raise M.StatementRejected("file ends inside a statement", format=self.header.format, position="end of file")
        await self._flush()

    async def _flush(self) -> None:
        # the counterparty's name and account are sealed (recon.secrecy)
        if self.rows:
            await self.conn.execute(recon_lines.insert(), [seal_row(self.keyring, r) for r in self.rows])
            self.rows.clear()
        for i in range(0, len(self.part_rows), _CHUNK):  # after their lines
            await self.conn.execute(recon_line_parts.insert(), [seal_row(self.keyring, r) for r in self.part_rows[i:i + _CHUNK]])
        self.part_rows.clear()

    def _resolve(self, h: M.StatementHeader, currency: str | None) -> ReconAccount:
        key = (h.account or "").replace(" ", "")
        if currency:
            found = self.accounts.get((key, currency))
        else:
            cands = [a for (b, _c), a in self.accounts.items() if b == key]
            found = cands[0] if len(cands) == 1 else None
        if found is None:
            raise UnknownBankAccount(
                f"statement {h.statement_id} is for bank account {key} {currency or ''}, which is not under reconciliation",
                bank_account=key, currency=currency, statement_id=h.statement_id,
            )
        return found

    async def _open_statement(self, h: M.StatementHeader, currency: str | None) -> ReconAccount:
        if not h.statement_id:
            h = self.header = replace(h, statement_id=self.default_statement_id or f"import:{uuid7()}")
        acct = self.acct = self._resolve(h, currency)
        dup = (await self.conn.execute(select(recon_statements.c.id).where(
            recon_statements.c.institution_id == self.institution_id, recon_statements.c.recon_account_id == acct.id,
            recon_statements.c.statement_id == h.statement_id[:128],
        ))).first()
        self.duplicate = dup is not None
        self.stmt_row_id = dup.id if dup else uuid7()
        if not self.duplicate:
            # the row first (lines point at it); counts and balances at the footer
            await self.conn.execute(recon_statements.insert().values(
                id=self.stmt_row_id, institution_id=self.institution_id, recon_account_id=acct.id, format=h.format, statement_id=h.statement_id[:128],
                message_id=(h.message_id or None) and h.message_id[:128], sequence=(h.sequence or None) and h.sequence[:64],
                opening_balance_minor=h.opening_balance_minor, closing_balance_minor=None, opening_date=h.opening_balance_date, closing_date=None,
                entry_count=0, credits_minor=0, debits_minor=0, balance_mismatch_minor=None, file_sha256="", filename=(self.filename or "")[:255],
                imported_by=self.actor[:128], imported_at=self.now,
            ))
        return acct

    async def _on_header(self, ev: M.StatementHeader) -> None:
        self.header, self.acct, self.stmt_row_id, self.duplicate = ev, None, None, False
        self.count = self.credits = self.debits = 0
        if ev.currency:
            await self._open_statement(ev, ev.currency)

    async def _on_entry(self, ev: M.StatementEntry) -> None:
        header = self.header
        if header is None:
            raise M.StatementRejected("statement entry outside a statement", format="unknown", position=ev.position or "entry")
        acct = self.acct or await self._open_statement(header, ev.currency)
        header = self.header or header
        if ev.currency != acct.currency:
            raise M.StatementRejected(
                f"entry in {ev.currency} on a {acct.currency} account", format=header.format, position=ev.position or f"entry {ev.index}",
            )
        vdate = ev.value_date or ev.booking_date
        if vdate is None:
            raise M.StatementRejected("entry has neither value date nor booking date", format=header.format, position=ev.position or f"entry {ev.index}")
        self.count += 1
        if ev.amount_minor >= 0:
            self.credits += ev.amount_minor
        else:
            self.debits -= ev.amount_minor
        if self.duplicate:
            return
        row = _line_row(ev, vdate, self.institution_id, acct.id, self.stmt_row_id, self.now)
        self.rows.append(row)
        self.part_rows.extend(_part_row(p, row["id"], self.institution_id) for p in ev.parts)
        if len(self.rows) >= _CHUNK or len(self.part_rows) >= _CHUNK:
            await self._flush()

    async def _on_footer(self, ev: M.StatementFooter) -> None:
        if self.header is None:
            return
        acct = self.acct or await self._open_statement(self.header, self.header.currency)
        header = self.header
        await self._flush()
        mismatch = None
        if header.opening_balance_minor is not None and ev.closing_balance_minor is not None:
            diff = header.opening_balance_minor + self.credits - self.debits - ev.closing_balance_minor
            mismatch = diff or None
        self.imported.append(ImportedStatement(
            id=self.stmt_row_id, statement_id=header.statement_id, account=acct.bank_account, currency=acct.currency, format=header.format,
            entries=self.count, duplicate=self.duplicate, balance_mismatch_minor=mismatch,
        ))
        if not self.duplicate:
            await self.conn.execute(update(recon_statements).where(recon_statements.c.id == self.stmt_row_id).values(
                closing_balance_minor=ev.closing_balance_minor, closing_date=ev.closing_balance_date, entry_count=self.count, credits_minor=self.credits,
                debits_minor=self.debits, balance_mismatch_minor=mismatch,
            ))
        self.header, self.acct = None, None


def _line_row(ev: M.StatementEntry, vdate: date, institution_id: UUID, recon_account_id: UUID, stmt_row_id: UUID | None, now: datetime) -> dict[str, Any]:
    """The ``recon_lines`` row of one statement entry."""
    return dict(
        id=uuid7(), institution_id=institution_id, recon_account_id=recon_account_id, statement_row_id=stmt_row_id, parent_line_id=None, idx=ev.index,
        amount_minor=ev.amount_minor, currency=ev.currency, booking_date=ev.booking_date, value_date=vdate,
        end_to_end_ref=_clean_ref(ev.end_to_end_ref), bank_ref=_clean_ref(ev.bank_ref), reference=(_clean_ref(ev.reference) or None) and str(ev.reference)[:256],
        description=(ev.description or "")[:500], counterparty_name=(ev.counterparty_name or None) and ev.counterparty_name[:200],
        counterparty_account=(ev.counterparty_account or None) and ev.counterparty_account[:64], bank_tx_code=(ev.bank_tx_code or None) and ev.bank_tx_code[:64],
        charges_minor=ev.charges_minor, status="open", created_at=now,
    )


def _cut(value: str | None, n: int) -> str | None:
    return (value or None) and value[:n]


def _part_row(p: M.StatementPart, line_id: UUID, institution_id: UUID) -> dict[str, Any]:
    """The ``recon_line_parts`` row of one part of a batch entry."""
    return dict(
        line_id=line_id, idx=p.index, institution_id=institution_id, amount_minor=p.amount_minor, end_to_end_ref=_clean_ref(p.end_to_end_ref),
        instruction_id=_clean_ref(p.instruction_id), tx_id=_clean_ref(p.tx_id), bank_ref=_clean_ref(p.bank_ref),
        reference=(_clean_ref(p.reference) or None) and str(p.reference)[:256], counterparty_name=_cut(p.counterparty_name, 200),
        counterparty_account=_cut(p.counterparty_account, 64), description=(p.description or "")[:500], matched_entry_id=None,
    )
