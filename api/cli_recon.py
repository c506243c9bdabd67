"""``xborder recon``: statement import with a progress bar, matching runs,
the exceptions queue and the reconciliation summary, from the command line."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from ledger.errors import LedgerError
from ledger.money import format_minor
from ledger.service import Ledger
from recon.service import Reconciliation

from .bootstrap import build_services

recon_app = typer.Typer(help="Reconciliation: import bank statements, match, work exceptions", no_args_is_help=True)
console = Console(soft_wrap=True)
err = Console(stderr=True)


@asynccontextmanager
async def _service(institution_code: str) -> AsyncIterator[tuple[Reconciliation, UUID]]:
    services = build_services(fetch_rates=False)
    try:
        inst = await services.ledger.find_institution(institution_code)
        if inst is None:
            raise LedgerError(f"no institution {institution_code!r}")
        yield services.recon, inst.id
    finally:
        await services.ledger.close()
        await services.aclose()


async def _account_id(ledger: Ledger, institution_id: UUID, ledger_id: UUID | None, ledger_code: str, ref: str) -> UUID:
    """An account given by id, or by code in the ledger ``ledger_code``."""
    try:
        return UUID(ref)
    except ValueError:
        pass
    a = await ledger.find_account(institution_id, ledger_id, ref) if ledger_id else None
    if a is None:
        raise LedgerError(f"no account {ref!r} in ledger {ledger_code!r}")
    return a.id


def _run(coro: Coroutine[Any, Any, None]) -> None:
    try:
        asyncio.run(coro)
    except LedgerError as exc:
        err.print(f"[red]error:[/red] {exc.code}: {exc.message}")
        raise typer.Exit(1) from None


@recon_app.command("import")
def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="camt.053 / camt.054 XML, MT940, or CSV"),
    institution: str = typer.Option(..., "--institution", "-i", help="institution code"),
    format: str | None = typer.Option(None, "--format", help="camt.053 | camt.054 | mt940 | csv (default: detected)"),
    csv_mapping: str | None = typer.Option(None, "--csv-mapping", help="saved CSV column mapping"),
    actor: str = typer.Option("cli", help="recorded as the importer"),
) -> None:
    """Import a statement file (streamed, with a progress bar).  A broken file
    is refused with the line or element at fault and nothing is imported."""
    size = file.stat().st_size

    async def go() -> None:
        async with _service(institution) as (svc, inst_id):
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
                          console=err, disable=not err.is_terminal and os.environ.get("XBORDER_PROGRESS") != "1") as progress:
                task = progress.add_task(file.name, total=size)
                with file.open("rb") as fh:
                    res = await svc.import_statement(inst_id, fh, filename=file.name, fmt=format, csv_mapping=csv_mapping, actor=f"cli:{actor}",
                                                     progress=lambda n: progress.advance(task, n))
        table = Table(title=f"{file.name}  sha256 {res.sha256[:16]}…")
        for col in ("statement", "account", "currency", "format", "entries", "status"):
            table.add_column(col, justify="right" if col == "entries" else "left")
        for s in res.statements:
            status = "already imported" if s.duplicate else "imported"
            if s.balance_mismatch_minor:
                status += f" (balances differ by {format_minor(s.balance_mismatch_minor, s.currency)})"
            table.add_row(s.statement_id, s.account, s.currency, s.format, f"{s.entries:,}", status)
        console.print(table)
        console.print(f"{res.lines_imported:,} lines imported, {res.duplicates_skipped} statement(s) already imported")

    _run(go())


@recon_app.command("run")
def run(
    institution: str = typer.Option(..., "--institution", "-i"),
    account: UUID | None = typer.Option(None, "--account", help="one reconciled account id (default all)"),
) -> None:
    """Run the automatic matching rules and print what each rule matched."""

    async def go() -> None:
        async with _service(institution) as (svc, inst_id):
            runs = await svc.run_matching(inst_id, recon_account_id=account, actor="cli")
        table = Table(title="matching run")
        for col in ("account", "lines", "entries", "matches by rule", "unmatched lines", "unmatched entries", "fees to approve"):
            table.add_column(col)
        for r in runs:
            table.add_row(str(r.recon_account_id), f"{r.lines_considered:,}", f"{r.entries_considered:,}", ", ".join(f"{k} {v:,}" for k, v in sorted(r.counts.items())) or "-",
                          f"{r.unmatched_lines:,}", f"{r.unmatched_entries:,}", str(r.fee_proposals))
        console.print(table)

    _run(go())


@recon_app.command("exceptions")
def exceptions(
    institution: str = typer.Option(..., "--institution", "-i"),
    side: str | None = typer.Option(None, help="line | entry"),
    limit: int = typer.Option(50, min=1, max=5000),
) -> None:
    """The exceptions queue: unmatched statement lines and ledger entries, oldest first."""

    async def go() -> None:
        async with _service(institution) as (svc, inst_id):
            items = await svc.exceptions(inst_id, side=side, limit=limit)
        table = Table(title=f"exceptions ({len(items)})")
        for col in ("side", "id", "value date", "age (days)", "amount", "currency", "reference", "description"):
            table.add_column(col, justify="right" if col in ("amount", "age (days)") else "left")
        for i in items:
            table.add_row(i.side, i.id, i.value_date.isoformat(), str(i.age_days), format_minor(i.amount_minor, i.currency), i.currency, i.reference or "", (i.description or "")[:40])
        console.print(table)

    _run(go())


@recon_app.command("summary")
def summary(institution: str = typer.Option(..., "--institution", "-i")) -> None:
    """Match rate and unmatched items by age."""

    async def go() -> None:
        async with _service(institution) as (svc, inst_id):
            s = await svc.summary(inst_id)
        table = Table(title=f"reconciliation {s['as_of']}: match rate {s['match_rate']} %, {s['pending_proposals']} proposal(s) pending")
        for col in ("account", "currency", "lines", "matched", "rate %", "open lines by age", "unmatched entries by age"):
            table.add_column(col)
        for a in s["accounts"]:
            table.add_row(a["bank_account"], a["currency"], f"{a['lines']:,}", f"{a['matched_lines']:,}", a["match_rate"],
                          " ".join(f"{k}:{v}" for k, v in a["lines_by_age"].items()), " ".join(f"{k}:{v}" for k, v in a["entries_by_age"].items()))
        console.print(table)

    _run(go())


@recon_app.command("account-add")
def account_add(
    institution: str = typer.Option(..., "--institution", "-i"),
    bank_account: str = typer.Option(..., "--bank-account", help="IBAN or account number as the bank's statements print it"),
    ledger_account: str = typer.Option(..., "--ledger-account", help="code (in --ledger) or id of the ledger account that mirrors it"),
    ledger: str = typer.Option("main", "--ledger", help="ledger code"),
    fee_account: str | None = typer.Option(None, "--fee-account", help="expense account for accepted bank charges"),
    adjustment_account: str | None = typer.Option(None, "--adjustment-account", help="default counter account of adjustments"),
    window_days: int = typer.Option(3, "--window-days", min=0, max=31),
    charge_tolerance: str = typer.Option("0", "--charge-tolerance", help="bank charges accepted, a decimal amount in the account's currency (e.g. 30.00)"),
    charge_tolerance_bp: int = typer.Option(0, "--charge-tolerance-bp", min=0, max=10_000),
) -> None:
    """Put a bank account under reconciliation."""

    async def go() -> None:
        async with _service(institution) as (svc, inst_id):
            led = await svc.ledger.find_ledger(inst_id, ledger)

            async def resolve(ref: str) -> UUID:
                return await _account_id(svc.ledger, inst_id, led.id if led else None, ledger, ref)

            async def resolve_optional(ref: str | None) -> UUID | None:
                return None if ref is None else await resolve(ref)

            acct = await svc.register_account(
                inst_id, bank_account=bank_account, ledger_account_id=await resolve(ledger_account), fee_account_id=await resolve_optional(fee_account),
                adjustment_account_id=await resolve_optional(adjustment_account), actor="cli",
                config={"date_window_days": window_days, "charge_tolerance": charge_tolerance, "charge_tolerance_bp": charge_tolerance_bp},
            )
        console.print(f"reconciling {acct.bank_account} {acct.currency} against ledger account {acct.ledger_account_id} (id {acct.id})")

    _run(go())
