"""What the operator is told before anything runs: setup and production checks.

Commands other than ``xborder init`` and ``xborder demo`` never create a
database or keys on their own: :func:`require_setup` names what is missing
and the command to run.  In production mode (``XBORDER_ENV=production``)
:func:`production_problems` refuses generated development keys, SQLite and
a missing trusted-proxy setting; ``build_services`` and ``xborder serve``
call it.  ``xborder doctor`` runs :func:`checks` and prints what to fix.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ledger.config import Settings


class SetupError(Exception):
    """The deployment is not set up (or not fit for production); the message
    names what is missing and how to fix it, in one line."""


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite file of the configured database (None for PostgreSQL or an
    in-memory database)."""
    url = make_url(settings.database_url)
    if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _key_file(settings: Settings, name: str) -> Path:
    return Path(settings.data_dir) / name


def _missing_keys(settings: Settings) -> list[str]:
    out = []
    if not settings.secret_key and not _key_file(settings, "secret-key").exists():
        out.append(f"secret key (XBORDER_SECRET_KEY or {_key_file(settings, 'secret-key')})")
    if not settings.registry_key and not _key_file(settings, "registry-key").exists():
        out.append(f"registry key (XBORDER_REGISTRY_KEY or {_key_file(settings, 'registry-key')})")
    if not settings.ledger_signing_key and not _key_file(settings, "ledger-signing-key").exists():
        out.append(f"ledger signing key (XBORDER_LEDGER_SIGNING_KEY or {_key_file(settings, 'ledger-signing-key')})")
    return out


def require_setup(settings: Settings) -> None:
    """Refuse to go on when the database file or the keys do not exist (they
    would be created empty here, in the wrong directory perhaps)."""
    db = sqlite_path(settings)
    if db is not None and not db.exists():
        raise SetupError(f"no database at {db.resolve()} (XBORDER_DATABASE_URL): run `xborder init` here, or `xborder demo`, or set XBORDER_DATABASE_URL")
    missing = _missing_keys(settings)
    if missing:
        raise SetupError(f"missing {' and '.join(missing)}: run `xborder init` (development) or set the keys in the environment")


def production_problems(settings: Settings) -> list[str]:
    """What production mode refuses in this configuration (empty: fit)."""
    if settings.env != "production":
        return []
    out = []
    if sqlite_path(settings) is not None or make_url(settings.database_url).drivername.startswith("sqlite"):
        out.append("XBORDER_DATABASE_URL is SQLite: production runs on PostgreSQL (postgresql+asyncpg://...)")
    if not settings.secret_key:
        out.append("XBORDER_SECRET_KEY is not set: production refuses a generated development key")
    if not settings.registry_key:
        out.append("XBORDER_REGISTRY_KEY is not set: production refuses a generated development key")
    if not settings.ledger_signing_key:
        out.append("XBORDER_LEDGER_SIGNING_KEY is not set: production refuses a generated development key")
    if settings.trusted_proxies is None:
        out.append("XBORDER_TRUSTED_PROXIES is not set: name the reverse proxies' addresses (or 'none' when clients connect directly)")
    return out


def require_production_ready(settings: Settings) -> None:
    problems = production_problems(settings)
    if problems:
        raise SetupError("production mode (XBORDER_ENV=production): " + "; ".join(problems))


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _registry_key(settings: Settings) -> str:
    """The registry key's id, after checking it is usable and independent
    of the personal-data key (raises ValueError otherwise)."""
    from ledger.crypto import key_id, read_key

    registry = read_key(settings.registry_key, _key_file(settings, "registry-key"), "XBORDER_REGISTRY_KEY", generate=False)
    secret_file = _key_file(settings, "secret-key")
    if settings.secret_key or secret_file.exists():
        secret = read_key(settings.secret_key, secret_file, "XBORDER_SECRET_KEY", generate=False)
        if secret == registry:
            raise ValueError("equals the secret key: the registry key must be independent of the personal-data key")
    return f"key id {key_id(registry)}"


def _key_checks(settings: Settings) -> list[Check]:
    from ledger.chain import CheckpointSigner
    from ledger.crypto import read_key

    out = []
    for name, configured, file, load in (
        ("secret key", settings.secret_key, _key_file(settings, "secret-key"), lambda: read_key(settings.secret_key, _key_file(settings, "secret-key"), "XBORDER_SECRET_KEY", generate=False)),
        ("registry key", settings.registry_key, _key_file(settings, "registry-key"), lambda: _registry_key(settings)),
        ("ledger signing key", settings.ledger_signing_key, _key_file(settings, "ledger-signing-key"), lambda: CheckpointSigner.from_settings(settings)),
    ):
        if not configured and not file.exists():
            out.append(Check(name, False, "missing", "run `xborder init` (development) or set it in the environment"))
            continue
        try:
            found = load()
        except (ValueError, OSError) as exc:
            out.append(Check(name, False, f"unusable: {exc}", "set a base64 32-byte key"))
            continue
        where = "environment" if configured else str(file)
        extra = f" ({found})" if isinstance(found, str) else ""
        if not configured and stat.S_IMODE(os.stat(file).st_mode) & 0o077:
            out.append(Check(name, False, f"{where} is readable by others", f"chmod 600 {file}"))
        else:
            out.append(Check(name, True, f"from {where}{extra}"))
    return out


async def _database_checks(settings: Settings) -> list[Check]:
    from ledger.db import create_engine
    from ledger.migrate import current_revision, head_revision

    db = sqlite_path(settings)
    if db is not None and not db.exists():
        return [Check("database", False, f"no database at {db.resolve()}", "run `xborder init`")]
    engine = create_engine(settings.database_url, settings=settings)
    try:
        current = await current_revision(engine)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the finding
        return [Check("database", False, f"cannot connect: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}", "check XBORDER_DATABASE_URL and that the server runs")]
    finally:
        await engine.dispose()
    head = head_revision()
    out = [Check("database", True, f"connected ({make_url(settings.database_url).drivername})")]
    if current != head:
        out.append(Check("schema", False, f"revision {current or 'none'}, code needs {head}", "run `xborder db upgrade` (with the migration role)"))
    else:
        out.append(Check("schema", True, f"at head {head}"))
    return out


async def checks(settings: Settings) -> list[Check]:
    """Everything ``xborder doctor`` reports."""
    out = [Check("configuration", True, f"mode {settings.env}, business time zone {settings.business_timezone}")]
    problems = production_problems(settings)
    out += [Check("production", False, p, "see docs/DEPLOYING.md") for p in problems]
    if settings.env == "production" and not problems:
        out.append(Check("production", True, "PostgreSQL, keys from the environment, trusted proxies set"))
    keys = _key_checks(settings)
    out += keys
    out += await _database_checks(settings)
    if all(c.ok for c in out if c.name in ("secret key", "registry key", "database", "schema")):
        out.append(await rotation_check(settings))
    return out


async def rotation_check(settings: Settings) -> Check:
    """Whether the stored indexes and personal data are under the current keys."""
    from ledger.crypto import Keyring
    from ledger.db import create_engine

    from .rotation import stale_keys

    engine = create_engine(settings.database_url, settings=settings)
    try:
        stale = await stale_keys(engine, Keyring.from_settings(settings, generate=False, install=False))
    finally:
        await engine.dispose()
    if stale:
        return Check("key rotation", False, "; ".join(stale), "run `xborder keys rotate` (docs/DEPLOYING.md, key rotation)")
    return Check("key rotation", True, "indexes and personal data under the current keys")
