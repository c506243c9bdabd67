"""Shared fixtures: every database test runs on SQLite and on a real
PostgreSQL server started for the session (tests/support/pgserver.py).

* ``db_kind`` is parametrized ``sqlite`` / ``postgresql``;
* ``db_url`` is a fresh, migrated database for the test (a copy of a
  template migrated once per session);
* ``engine`` and ``ledger`` are built on it.

Set ``XBORDER_TEST_PG_URL`` to use an existing server instead (its user must
be able to create databases).  When ``XBORDER_REQUIRE_PG`` or ``CI`` is set,
a PostgreSQL server that cannot start fails the run instead of skipping.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

import ledger.crypto as _crypto
from ledger.config import Settings
from ledger.db import create_engine
from ledger.migrate import upgrade
from ledger.service import Ledger

_counter = itertools.count()

# -- property and fuzz tests: deterministic in CI, free to explore by hand ----------------
#
# Every hypothesis test inherits one of these profiles (tests set only their
# budget, never the randomness):
#
# * ``ci`` (the default, and always under CI=true): derandomized -- the
#   examples are a function of the test alone -- with no example database and
#   no deadline, so a run cannot pass or fail by chance;
# * ``explore``: random seeds and the local example database, to look for new
#   failures by hand: ``XBORDER_HYPOTHESIS=explore pytest tests/...`` (or
#   ``pytest --hypothesis-profile=explore``); a failure prints the
#   ``@reproduce_failure`` blob to pin it.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.register_profile(
    "explore", derandomize=False, deadline=None, print_blob=True, phases=list(Phase),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("XBORDER_HYPOTHESIS", "ci"))


# -- password hashing: a cheap scrypt cost inside the test process -----------------------
#
# Production hashes with ledger.crypto's cost (N=2**14, r=8: ~0.1 s a hash or
# check); the API fixtures hash and check several passwords per tenant, which
# was a tenth of the suite's time.  In this process new hashes use N=2**4;
# every stored hash carries its own parameters, so checking works unchanged.
# The production cost is kept in PRODUCTION_SCRYPT and tested with it
# (tests/security/test_password_cost.py); CLI and server subprocesses that
# tests start use the production cost.
PRODUCTION_SCRYPT = (_crypto.SCRYPT_N, _crypto.SCRYPT_R, _crypto.SCRYPT_P)
TEST_SCRYPT_N = 2**4
_crypto.SCRYPT_N = TEST_SCRYPT_N


def _require_pg() -> bool:
    return bool(os.environ.get("XBORDER_REQUIRE_PG") or os.environ.get("CI"))


class _PG:
    def __init__(self) -> None:
        self.server = None
        self.error: str | None = None
        self.template = "xb_template"
        self.retired: list[str] = []

    def start(self) -> None:
        from tests.support.pgserver import PostgresServer

        try:
            self.server = PostgresServer().start()
        except Exception as exc:  # noqa: BLE001
            self.error = f"PostgreSQL could not start: {exc}"
            return
        self.server.create_database(self.template)
        upgrade(self.server.url(self.template))

    def new_database(self) -> str:
        """A copy of the template; the databases of finished tests are
        dropped in the same psql call (one process per test, not two)."""
        name = f"xb_test_{os.getpid()}_{next(_counter)}"
        drops, self.retired = self.retired, []
        create = f'CREATE DATABASE "{name}" TEMPLATE "{self.template}";\n'
        try:
            self.server.psql("".join(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE);\n' for n in drops) + create)
        except RuntimeError:
            if not drops:
                raise
            # a drop failed, and psql stopped there: the drops are best effort
            # (the server is thrown away), the copy is not
            self.server.psql(create)
        return name

    def retire(self, name: str) -> None:
        """Drop ``name`` (its sessions terminated) with the next copy."""
        self.retired.append(name)


@pytest.fixture(scope="session")
def pg():
    """The session's PostgreSQL server (None only when allowed to skip)."""
    state = _PG()
    state.start()
    if state.error:
        if _require_pg():
            pytest.fail(state.error, pytrace=False)
        pytest.skip(state.error)
    yield state
    state.server.stop()


@pytest.fixture(scope="session")
def sqlite_template():
    d = Path(tempfile.mkdtemp(prefix="xb-sqlite-"))
    path = d / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    yield path
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def db_url(db_kind, request, tmp_path):
    if db_kind == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
    else:
        state = request.getfixturevalue("pg")
        name = state.new_database()
        yield state.server.url(name)
        state.retire(name)


@pytest.fixture
def settings(tmp_path) -> Settings:
    import base64

    return Settings(
        data_dir=tmp_path / "data",
        ledger_signing_key=base64.b64encode(b"\x07" * 32).decode(),
        secret_key=base64.b64encode(b"\x09" * 32).decode(),
        registry_key=base64.b64encode(b"\x0a" * 32).decode(),
    )


@pytest.fixture(autouse=True)
def _deployment_keyring(settings):
    """Every test runs with the keys of ``settings`` installed as the
    process's keyring (code not handed one, e.g. trade-data intake and
    reconciliation, uses it), as a server or CLI process has."""
    from ledger.crypto import Keyring

    return Keyring.from_settings(settings)


@pytest.fixture
async def engine(db_url, settings):
    eng = create_engine(db_url, settings=settings)
    yield eng
    await eng.dispose()


@pytest.fixture
async def ledger(engine, settings):
    led = Ledger(engine, settings)
    yield led


@pytest.fixture
async def book(ledger):
    """A small chart of accounts on a fresh institution and ledger."""
    from tests.support.books import make_book

    return await make_book(ledger)
