"""The API fixtures (app, client, tenant_a, tenant_b, ...) of tests/api,
re-exported for the security tests; the database fixtures come from
tests/conftest.py."""

import base64

import pytest

from ledger.config import Settings
from tests.api.conftest import *  # noqa: F403
from tests.api.conftest import _tenant  # noqa: F401


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The settings of tests/conftest.py, hermetic: no published FX rate
    source on the internet (``POST /v1/rates/refresh``)."""
    return Settings(
        data_dir=tmp_path / "data",
        ledger_signing_key=base64.b64encode(b"\x07" * 32).decode(),
        secret_key=base64.b64encode(b"\x09" * 32).decode(),
        registry_key=base64.b64encode(b"\x0a" * 32).decode(),
        rates_url="",
    )
