"""Schema management through Alembic only (``xborder db upgrade``).

The Alembic scripts live in the top-level ``migrations`` package, which
imports the table definitions of every package (the ledger's and those of
the packages above it).  The ledger therefore never imports it: it only
locates its directory, the way an import would find it (the worktree on
``sys.path`` first, else the installed or editable distribution), and hands
the path to Alembic, which runs ``migrations/env.py`` itself.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_PACKAGE = "migrations"


@lru_cache(maxsize=1)
def migrations_dir() -> Path:
    """The directory of the Alembic scripts, found without importing them
    (``find_spec`` of a top-level name imports nothing)."""
    spec = find_spec(MIGRATIONS_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        if (Path(location) / "env.py").is_file():
            return Path(location)
    raise RuntimeError(f"the Alembic scripts (package {MIGRATIONS_PACKAGE!r} with env.py) are not installed")


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default: configured) to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the history is never empty
        raise RuntimeError("the migration history has no head revision")
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


async def upgrade_async(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade from inside a running event loop, on ``engine``."""
    cfg = alembic_config()

    def _do(sync_conn: Connection) -> None:
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(_do)
        await conn.commit()


async def downgrade_async(engine: AsyncEngine, revision: str = "base") -> None:
    cfg = alembic_config()

    def _do(sync_conn: Connection) -> None:
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(_do)
        await conn.commit()
