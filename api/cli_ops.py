"""Operator commands and guards of the ``xborder`` command: ``--version``,
``init``, ``doctor``, and the check every other command passes first (no
database or keys created implicitly; production mode refused when unfit)."""

from __future__ import annotations

import asyncio
import sys
from importlib.metadata import PackageNotFoundError, version

import typer
from rich.console import Console
from rich.table import Table

from ledger.config import Settings, get_settings

from .preflight import SetupError, checks, require_production_ready, require_setup, sqlite_path

#: commands that may create the database or keys, or need neither
NO_SETUP_NEEDED = frozenset({"init", "demo", "doctor", "db", "bench"})

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def package_version() -> str:
    try:
        return version("xborder")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without install
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        console.print(f"xborder {package_version()}")
        raise typer.Exit()


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def root(
    ctx: typer.Context,
    show_version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="print the version and exit"),
) -> None:
    """xborder: cross-border settlement and supply-chain finance engine."""
    if ctx.invoked_subcommand in NO_SETUP_NEEDED or ctx.resilient_parsing or {"--help", "-h"} & set(sys.argv[1:]):
        return
    settings = get_settings()
    try:
        require_setup(settings)
        if ctx.invoked_subcommand in ("serve", "worker"):
            require_production_ready(settings)
    except SetupError as exc:
        raise fail(str(exc)) from None


def set_up(settings: Settings) -> None:
    """The schema at head (an SQLite file is created) and, where none is
    configured, development keys in the data directory: what ``init`` and
    ``demo`` do explicitly and no other command does."""
    from ledger.chain import CheckpointSigner
    from ledger.crypto import Keyring
    from ledger.migrate import upgrade

    try:
        require_production_ready(settings)
    except SetupError as exc:
        raise fail(str(exc)) from None
    Keyring.from_settings(settings)  # generates the development key when none is set
    CheckpointSigner.from_settings(settings)
    upgrade(settings.database_url)


def init() -> None:
    """Set up a deployment here: the database schema (created for SQLite) and,
    outside production, development keys in the data directory."""
    settings = get_settings()
    set_up(settings)
    db = sqlite_path(settings)
    where = str(db.resolve()) if db is not None else "the configured PostgreSQL database"
    console.print(f"initialized: schema at head in {where}; keys {'from the environment' if settings.secret_key else f'in {settings.data_dir}'}")
    console.print("next: `xborder institution create CODE`, `xborder key issue CODE`, `xborder serve`")


def doctor() -> None:
    """Check configuration, database revision, keys and connectivity, and say what to fix."""
    results = asyncio.run(checks(get_settings()))
    table = Table("check", "", "finding", "fix")
    for c in results:
        table.add_row(c.name, "[green]ok[/green]" if c.ok else "[red]FAIL[/red]", c.detail, c.fix)
    console.print(table)
    bad = [c for c in results if not c.ok]
    if bad:
        raise fail(f"{len(bad)} check(s) failed", 1)
    console.print("all checks passed")


def register(app: typer.Typer) -> None:
    app.callback()(root)
    app.command("init")(init)
    app.command("doctor")(doctor)
