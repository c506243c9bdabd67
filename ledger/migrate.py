"""Schema management through Alembic only (``xborder db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations as _migrations_pkg

MIGRATIONS_DIR = Path(_migrations_pkg.__file__).parent


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default: configured) to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


async def upgrade_async(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade from inside a running event loop, on ``engine``."""
    cfg = alembic_config()

    def _do(sync_conn):
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(_do)
        await conn.commit()


async def downgrade_async(engine: AsyncEngine, revision: str = "base") -> None:
    cfg = alembic_config()

    def _do(sync_conn):
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(_do)
        await conn.commit()
