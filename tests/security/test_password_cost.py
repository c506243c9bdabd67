"""The production password cost.  The test process hashes new passwords with
a cheap scrypt cost (tests/conftest.py: TEST_SCRYPT_N); these tests put the
production cost of ledger.crypto back and check that it is the memory-hard
one, that hashes name their parameters (so a hash of either cost is checked
with its own), and that a user whose password was hashed at the production
cost logs in through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import ledger.crypto as crypto
from api.auth import create_user
from tests.conftest import PRODUCTION_SCRYPT, TEST_SCRYPT_N


@pytest.fixture
def production_cost(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", PRODUCTION_SCRYPT[0])
    monkeypatch.setattr(crypto, "SCRYPT_R", PRODUCTION_SCRYPT[1])
    monkeypatch.setattr(crypto, "SCRYPT_P", PRODUCTION_SCRYPT[2])


def test_the_production_cost_is_memory_hard():
    n, r, p = PRODUCTION_SCRYPT
    assert (n, r, p) == (2**14, 8, 1)
    assert 128 * n * r >= 16 * 2**20  # 16 MiB per check
    assert crypto.SCRYPT_N == TEST_SCRYPT_N < n  # the test process's own cost


def test_a_production_hash_names_its_parameters_and_checks_only_its_password(production_cost):
    stored = crypto.hash_password("correct horse battery")
    tag, n, r, p, salt, digest = stored.split("$")
    assert (tag, int(n), int(r), int(p)) == ("scrypt", *PRODUCTION_SCRYPT)
    assert salt and digest and stored != crypto.hash_password("correct horse battery")  # salted
    assert crypto.verify_password("correct horse battery", stored)
    assert not crypto.verify_password("correct horse batterY", stored)


def test_a_hash_is_checked_with_the_parameters_it_names(monkeypatch):
    cheap = crypto.hash_password("pw-one-two-three")
    assert cheap.split("$")[1] == str(TEST_SCRYPT_N)
    monkeypatch.setattr(crypto, "SCRYPT_N", PRODUCTION_SCRYPT[0])
    assert crypto.verify_password("pw-one-two-three", cheap)
    assert not crypto.verify_password("pw-one-two-four", cheap)


async def test_a_user_hashed_at_the_production_cost_logs_in(app, client, production_cost):
    ctx = app.state.ctx
    inst = await ctx.ledger.create_institution("bank-p", "Bank P")
    async with ctx.engine.begin() as conn:
        await create_user(conn, inst.id, "fin", "settle-ledger-quota-47", "finance")
    r = await client.post("/v1/auth/token", json={"institution": "bank-p", "username": "fin", "password": "settle-ledger-quota-47"})
    assert r.status_code == 200, r.text
    assert r.json()["access_token"]
    wrong = await client.post("/v1/auth/token", json={"institution": "bank-p", "username": "fin", "password": "settle-ledger-quota-48"})
    assert wrong.status_code == 401, wrong.text
    async with ctx.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT password_hash FROM users WHERE username = 'fin'"))).scalar_one()
    assert stored.startswith(f"scrypt${PRODUCTION_SCRYPT[0]}$")
