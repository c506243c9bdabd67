"""``xborder keys``: the deployment's own keys (personal-data key and
registry key), as opposed to ``xborder key`` (an institution's API keys)."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console
from rich.table import Table

from ledger.config import get_settings

keys_app = typer.Typer(help="Deployment keys: the personal-data key and the registry key", no_args_is_help=True)
console = Console(soft_wrap=True)


@keys_app.command("rotate")
def rotate() -> None:
    """Rotate to the current keys in one transaction: personal data and
    stored secrets re-encrypted under XBORDER_SECRET_KEY (rows still in
    clear sealed), every blind index and registry key (customers' ID-number
    index, quota registry, conversion log, watch list, S6 and evidence
    registries) recomputed under XBORDER_REGISTRY_KEY.  The former keys go
    in XBORDER_OLD_SECRET_KEYS / XBORDER_OLD_REGISTRY_KEYS for this run and
    are no longer needed after it.  Idempotent."""
    from ledger.crypto import Keyring
    from ledger.db import create_engine

    from .rotation import rotate_keys

    settings = get_settings()
    keyring = Keyring.from_settings(settings, generate=False)

    async def go():
        engine = create_engine(settings.database_url, settings=settings)
        try:
            return await rotate_keys(engine, keyring, actor="cli:keys-rotate")
        finally:
            await engine.dispose()

    report = asyncio.run(go())
    table = Table("rotated", "rows")
    s = report.settlement
    for name, n in (("customers re-encrypted", s.customers_resealed), ("customers re-indexed", s.customers_reindexed),
                    *((f"{t} re-keyed", n) for t, n in s.registry_rows_moved.items()), ("held trade-data lines", s.rejects_resealed),
                    ("statement lines", report.recon_lines_resealed), ("API key secrets", report.api_keys_resealed),
                    ("webhook secrets", report.webhook_secrets_resealed)):
        table.add_row(name, str(n))
    console.print(table)
    console.print(f"all data under personal-data key {report.secret_key_id} and registry key {report.registry_key_id}: the former keys are no longer needed")
