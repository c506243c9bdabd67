"""``xborder report``: the reports of :mod:`recon.reports` from the command
line (registered by :mod:`api.cli`).

``xborder report list`` and ``xborder report run NAME --institution CODE
[--param key=value ...] [--format table|csv|json] [--out FILE]``: the reports
of :mod:`recon.reports` as rich tables, CSV or JSON.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from ledger.errors import LedgerError
from recon.reporting import Report
from recon.reports import REPORTS, ReportEnv, run_report

from .bootstrap import build_services

# =============================================================================================
# reports: ``xborder report``
# =============================================================================================

T = TypeVar("T")

report_app = typer.Typer(help="Reports: trial balance, statements, FX position, advance aging, loan portfolio, monitoring", no_args_is_help=True)
_console = Console(soft_wrap=True)
_err = Console(stderr=True)


class _ReportEnvCtx:
    """The services and report environment for one command (stored rates
    only: a report fetches nothing)."""

    async def __aenter__(self) -> _ReportEnvCtx:
        self.services = build_services(fetch_rates=False)
        self.ledger = self.services.ledger
        self.env = ReportEnv(self.ledger, self.services.engine, self.services.settlement, self.services.rates)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.services.aclose()


def _report_fail(message: str, code: int = 1) -> NoReturn:
    _err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def _report_guard(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine; domain errors become a clear message and exit 1."""
    try:
        return asyncio.run(coro)
    except LedgerError as exc:
        _report_fail(f"{exc.code}: {exc.message}")


def _parse_params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected key=value, got {pair!r}", param_hint="--param")
        if key.strip() in out:
            raise typer.BadParameter(f"{key.strip()!r} given more than once", param_hint="--param")
        out[key.strip()] = value
    return out


def report_table(report: Report) -> Table:
    """A rich table of a report: the rows, a rule, the totals."""
    t = Table(title=report.title_text, title_justify="left")
    rows = [[report.cell(r, c) for c in report.columns] for r in report.rows]
    totals = [[report.cell(r, c) for c in report.columns] for r in report.totals]
    for i, c in enumerate(report.columns):
        if c.kind in ("money", "int", "percent", "rate"):
            # a figure is never folded or cut, whatever the terminal's width: text columns give way
            widest = max((len(str(x[i])) for x in rows + totals), default=0)
            t.add_column(c.text, justify="right", no_wrap=True, min_width=max(widest, 1))
        else:
            t.add_column(c.text, justify="left", overflow="fold")
    for n, cells in enumerate(rows):
        t.add_row(*cells, end_section=n == len(rows) - 1 and bool(totals))
    for cells in totals:
        t.add_row(*cells, style="bold")
    return t


@report_app.command("list")
def report_list() -> None:
    """List the reports and their parameters."""
    t = Table("name", "title", "parameters")
    for spec in REPORTS.values():
        params = ", ".join(f"{p.name}:{p.type}{'*' if p.required else ''}" + (f"={p.default}" if p.default is not None else "") for p in spec.params)
        t.add_row(spec.name, spec.title, params or "-")
    _console.print(t)
    _console.print("* required; run with: xborder report run NAME --institution CODE --param key=value")


@report_app.command("run")
def report_run(
    name: str = typer.Argument(..., help="report name (xborder report list)"),
    institution: str = typer.Option(..., "--institution", "-i", help="institution code"),
    param: list[str] = typer.Option([], "--param", "-p", help="a report parameter as key=value (repeatable)"),
    format: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
    out: Path | None = typer.Option(None, "--out", "-o", help="write to this file instead of the terminal"),
) -> None:
    """Run a report for one institution."""
    if format not in ("table", "csv", "json"):
        raise typer.BadParameter("choose table, csv or json", param_hint="--format")
    params = _parse_params(param)

    async def go() -> Report:
        async with _ReportEnvCtx() as ctx:
            inst = await ctx.ledger.find_institution(institution)
            if inst is None:
                _report_fail(f"no institution with code {institution!r}")
            return await run_report(ctx.env, inst.id, name, params)

    report = _report_guard(go())
    if format == "csv":
        text = report.to_csv()
    elif format == "json":
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = None
    if out is not None:
        if text is None:
            with out.open("w", encoding="utf-8") as fh:
                file_console = Console(file=fh, width=200, soft_wrap=True, color_system=None)
                file_console.print(report_table(report))
                for note in report.notes:
                    file_console.print(f"note: {note}", markup=False, highlight=False)
        else:
            out.write_text(text, encoding="utf-8", newline="")
        _err.print(f"{report.name}: {len(report.rows)} rows written to {out}", highlight=False)
        return
    if text is not None:
        typer.echo(text, nl=False)
        return
    _console.print(report_table(report))
    for note in report.notes:
        _console.print(f"note: {note}", markup=False, highlight=False)
