"""The Idempotency-Key claims of concurrent requests share one statement on
PostgreSQL (api.idempotency.ClaimGroups, issue #14): one connection, one
round trip and one non-durable commit for a burst instead of one of each per
request, so 32 callers no longer drain the connection pool.  What a claim
guarantees stays: a key is held by one request, a second request under it
is answered 409 (in flight) or gets the stored answer, another body 422."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from api.idempotency import ClaimGroups
from api.schema import http_idempotency
from ledger.clock import utc_now
from ledger.process import identity

from .conftest import transfer


def _row(inst: uuid.UUID, key: str, fp: str = "f" * 64) -> dict:
    now = utc_now()
    return {"institution_id": inst, "key": key, "fingerprint": fp, "state": "in_flight", "created_at": now, "expires_at": now + timedelta(hours=1), "owner": identity()}


class _Statements:
    """The claim statements an engine sends."""

    def __init__(self, engine) -> None:
        self.engine, self.sent = engine, []
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_a) -> None:
        if "INSERT INTO http_idempotency" in statement and "'in_flight'" in statement:
            self.sent.append(statement)

    def close(self) -> None:
        event.remove(self.engine.sync_engine, "before_cursor_execute", self._seen)


@pytest.fixture
def claim_statements(app):
    s = _Statements(app.state.ctx.engine)
    yield s
    s.close()


async def _keys(engine, inst) -> dict[str, str]:
    async with engine.connect() as conn:
        rows = (await conn.execute(select(http_idempotency.c.key, http_idempotency.c.state).where(http_idempotency.c.institution_id == inst))).all()
    return dict(rows)


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_a_burst_of_claims_is_one_statement_and_each_key_is_held_once(app, tenant_a, claim_statements):
    ctx = app.state.ctx
    groups = ClaimGroups(ctx.engine)
    inst = tenant_a.institution_id
    taken = _row(inst, "taken")
    assert await groups.claim(taken) is True
    claim_statements.sent.clear()
    rows = [_row(inst, f"k{n}") for n in range(40)] + [_row(inst, "k7"), _row(inst, "taken")]
    got = await asyncio.gather(*(groups.claim(r) for r in rows))
    # queued in one tick: one statement for all 42 (the repeated key sent once)
    assert len(claim_statements.sent) == 1
    assert got[:40] == [True] * 40
    assert got[40:] == [False, False]  # the second k7 of the group, and a key recorded before
    keys = await _keys(ctx.engine, inst)
    assert all(keys[k] == "in_flight" for k in [f"k{n}" for n in range(40)] + ["taken"])


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_a_claim_the_database_refuses_fails_only_its_own_request(app, tenant_a, claim_statements):
    ctx = app.state.ctx
    groups = ClaimGroups(ctx.engine)
    inst = tenant_a.institution_id
    # a key longer than the column: the database refuses the group's statement,
    # and the claims are then written one at a time
    got = await asyncio.gather(
        groups.claim(_row(inst, "fine-1")), groups.claim(_row(inst, "x" * 300)), groups.claim(_row(inst, "fine-2")), groups.claim(_row(inst, "fine-1")),
        return_exceptions=True,
    )
    assert got[0] is True and got[2] is True and got[3] is False  # the repeated key still held once
    assert isinstance(got[1], Exception)
    assert len(claim_statements.sent) == 5  # the group's, then one per claim
    keys = await _keys(ctx.engine, inst)
    assert keys["fine-1"] == keys["fine-2"] == "in_flight" and not any(k.startswith("xxx") for k in keys)
    assert await groups.claim(_row(inst, "fine-3")) is True  # the next group goes through


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_concurrent_postings_claim_together_and_each_posts_once(app, client, tenant_a, claim_statements):
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    n = 24
    rs = await asyncio.gather(*(
        client.post(url, json=transfer(tenant_a, "bank", "merchant", "1.00"), headers=tenant_a.h(**{"Idempotency-Key": f"burst-{i}"})) for i in range(n)
    ))
    assert [r.status_code for r in rs] == [201] * n
    assert len({r.json()["id"] for r in rs}) == n
    assert 1 <= len(claim_statements.sent) < n  # claims shared statements
    bal = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", headers=tenant_a.h())).json()
    assert bal["posted"] == f"{n}.00"


@pytest.mark.parametrize("db_kind", ["postgresql", "sqlite"], indirect=True)
async def test_one_key_sent_by_many_racing_callers_moves_money_once(app, client, tenant_a):
    """Ten callers race with one key and one body: one posts, the others are
    told it is in flight (409) or get its stored answer byte for byte."""
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    body = transfer(tenant_a, "bank", "merchant", "7.00")
    rs = await asyncio.gather(*(client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": "race"})) for _ in range(10)))
    codes = sorted(r.status_code for r in rs)
    assert set(codes) <= {201, 409} and codes.count(201) >= 1, codes
    posted = [r for r in rs if r.status_code == 201]
    assert len({r.content for r in posted}) == 1  # replays are the first answer byte for byte
    assert all(r.json()["code"] == "idempotency_request_in_flight" for r in rs if r.status_code == 409)
    bal = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", headers=tenant_a.h())).json()
    assert bal["posted"] == "7.00"
    async with app.state.ctx.engine.connect() as conn:
        n = (await conn.execute(select(func.count()).select_from(http_idempotency).where(http_idempotency.c.key == "race"))).scalar_one()
    assert n == 1


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_two_institutions_with_one_key_in_one_group_each_hold_their_own(app, tenant_a, tenant_b):
    """The group sends a key once per institution, not once: a second bank
    racing the first with the same Idempotency-Key is not told 409."""
    groups = ClaimGroups(app.state.ctx.engine)
    got = await asyncio.gather(groups.claim(_row(tenant_a.institution_id, "shared")), groups.claim(_row(tenant_b.institution_id, "shared")))
    assert got == [True, True]


@pytest.mark.parametrize("db_kind", ["postgresql", "sqlite"], indirect=True)
async def test_two_banks_racing_with_one_key_both_post(app, client, tenant_a, tenant_b):
    rs = await asyncio.gather(*(
        client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, "bank", "merchant", "3.00"), headers=t.h(**{"Idempotency-Key": "same-key"}))
        for t in (tenant_a, tenant_b, tenant_a, tenant_b)
    ))
    assert sorted(r.status_code for r in rs) in ([201, 201, 201, 201], [201, 201, 409, 409], [201, 201, 201, 409])
    for t in (tenant_a, tenant_b):
        bal = (await client.get(f"/v1/accounts/{t.accounts['merchant']}/balance", headers=t.h())).json()
        assert bal["posted"] == "3.00"  # each bank's money moved once


@pytest.mark.parametrize("db_kind", ["postgresql", "sqlite"], indirect=True)
async def test_a_key_spelled_quoted_or_padded_is_the_same_key_and_case_is_not(app, client, tenant_a):
    """``k``, ``"k"`` and `` k `` name one key (a structured-field string is
    unquoted, blanks trimmed); ``K`` is another (keys are compared exactly)."""
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    body = transfer(tenant_a, "bank", "merchant", "5.00")
    rs = await asyncio.gather(*(client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": k})) for k in ("spell", '"spell"', " spell ")))
    assert all(r.status_code in (201, 409) for r in rs) and any(r.status_code == 201 for r in rs)
    assert len({r.json()["id"] for r in rs if r.status_code == 201}) == 1
    other = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": "SPELL"}))
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    bal = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", headers=tenant_a.h())).json()
    assert bal["posted"] == "10.00"
