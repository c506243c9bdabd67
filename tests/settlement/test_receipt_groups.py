"""Lone receipts posted concurrently share one database transaction (#14):
each keeps its own actor, hook, answer and refusal; a group the database
refuses is posted again one receipt at a time.  On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from uuid import uuid4

from sqlalchemy import func, select

from ledger import errors as E
from ledger.schema import audit_log
from settlement import accounts as A
from settlement.errors import DuplicateReference, ReceiptInvalid
from settlement.tables_receipts import receipts
from tests.support.commits import CommitCounter

from .helpers import merchant
from .test_receipts import receipt


async def _warm(stl, bank, *customers):
    """A customer's first receipt opens its accounts (commits of their own)."""
    for n, c in enumerate(customers):
        await stl.receipts.post_receipt(bank, receipt(c.id, 100, ref=f"warm-{n}"))


async def _rows(stl, bank):
    async with stl.ledger.engine.connect() as conn:
        return {r.external_ref: r for r in await conn.execute(select(receipts).where(receipts.c.institution_id == bank))}


async def test_concurrent_receipts_commit_together_each_with_its_own_actor_and_answer(stl, bank):
    a, b = await merchant(stl, bank, ref="GA"), await merchant(stl, bank, ref="GB")
    await _warm(stl, bank, a, b)
    seen: dict[str, tuple[str, int]] = {}

    def hook(n):
        async def after(conn, row):
            seen[row["external_ref"]] = (str(row["id"]), n)
        return after

    counter = CommitCounter(stl.ledger.engine)
    try:
        out = await asyncio.gather(*(
            stl.receipts.post_receipt(bank, receipt((a, b)[n % 2].id, 1_000 + n, ref=f"g{n}"), actor=f"api_key:k{n}", after=hook(n)) for n in range(12)
        ))
    finally:
        counter.close()
    assert [o["external_ref"] for o in out] == [f"g{n}" for n in range(12)]
    assert [o["gross_minor"] for o in out] == [1_000 + n for n in range(12)]
    assert not any(o["replayed"] for o in out)
    # twelve receipts, far fewer durable commits (the first alone, the others queued behind it together)
    assert 1 <= counter.durable <= 3, counter.log
    assert seen == {f"g{n}": (str(out[n]["id"]), n) for n in range(12)}  # each hook saw its own receipt
    async with stl.ledger.engine.connect() as conn:
        actors = dict((await conn.execute(select(audit_log.c.object_id, audit_log.c.actor_id).where(audit_log.c.action == "receipt.post"))).all())
    assert all(actors[str(out[n]["id"])] == f"api_key:k{n}" for n in range(12))
    current_a = await A.customer_account(stl.ledger, bank, a.id, "current", "USD")
    assert (await stl.ledger.balance(bank, current_a)).posted == 100 + sum(1_000 + n for n in range(0, 12, 2))


async def test_a_refused_receipt_in_a_group_fails_alone(stl, bank):
    a = await merchant(stl, bank, ref="RA")
    await _warm(stl, bank, a)
    bad = replace(receipt(a.id, 5_000, ref="bad"), net_minor=4_000)  # net must equal gross less fees: refused per receipt
    ghost = replace(receipt(a.id, 7, ref="ghost"), customer_id=uuid4())  # no such customer
    jobs = [stl.receipts.post_receipt(bank, receipt(a.id, 2_000 + n, ref=f"ok{n}")) for n in range(5)]
    jobs.insert(2, stl.receipts.post_receipt(bank, bad))
    jobs.insert(4, stl.receipts.post_receipt(bank, ghost))
    out = await asyncio.gather(*jobs, return_exceptions=True)
    assert isinstance(out[2], ReceiptInvalid)
    assert isinstance(out[4], E.NotFound)  # an unknown customer
    posted = [o for n, o in enumerate(out) if n not in (2, 4)]
    assert [o["external_ref"] for o in posted] == [f"ok{n}" for n in range(5)]
    rows = await _rows(stl, bank)
    assert "bad" not in rows and "ghost" not in rows and all(f"ok{n}" in rows for n in range(5))


async def test_a_failing_hook_fails_only_its_own_receipt(stl, bank):
    a = await merchant(stl, bank, ref="HA")
    await _warm(stl, bank, a)

    async def broken(conn, row):
        raise RuntimeError("the answer could not be stored")

    jobs = [stl.receipts.post_receipt(bank, receipt(a.id, 3_000 + n, ref=f"h{n}"), after=broken if n == 3 else None) for n in range(6)]
    out = await asyncio.gather(*jobs, return_exceptions=True)
    assert isinstance(out[3], RuntimeError)
    assert [o["external_ref"] for n, o in enumerate(out) if n != 3] == [f"h{n}" for n in range(6) if n != 3]
    rows = await _rows(stl, bank)
    assert "h3" not in rows and sum(1 for k in rows if k.startswith("h")) == 5
    current = await A.customer_account(stl.ledger, bank, a.id, "current", "USD")
    assert (await stl.ledger.balance(bank, current)).posted == 100 + sum(3_000 + n for n in range(6) if n != 3)


async def test_one_reference_sent_concurrently_is_posted_once(stl, bank):
    a = await merchant(stl, bank, ref="DA")
    await _warm(stl, bank, a)
    same = await asyncio.gather(*(stl.receipts.post_receipt(bank, receipt(a.id, 4_000, ref="dup")) for _ in range(6)))
    assert len({o["id"] for o in same}) == 1
    assert sum(1 for o in same if not o["replayed"]) == 1
    other = await asyncio.gather(
        stl.receipts.post_receipt(bank, receipt(a.id, 4_000, ref="dup2")), stl.receipts.post_receipt(bank, receipt(a.id, 4_001, ref="dup2")), return_exceptions=True,
    )
    assert not isinstance(other[0], BaseException) and isinstance(other[1], DuplicateReference)
    async with stl.ledger.engine.connect() as conn:
        n = (await conn.execute(select(func.count()).select_from(receipts).where(receipts.c.external_ref.in_(["dup", "dup2"])))).scalar_one()
    assert n == 2
    current = await A.customer_account(stl.ledger, bank, a.id, "current", "USD")
    assert (await stl.ledger.balance(bank, current)).posted == 100 + 8_000


async def test_a_lone_receipt_is_posted_at_once_in_one_commit(stl, bank):
    a = await merchant(stl, bank, ref="LA")
    await _warm(stl, bank, a)
    counter = CommitCounter(stl.ledger.engine)
    try:
        out = await stl.receipts.post_receipt(bank, receipt(a.id, 10, ref="lone"))
    finally:
        counter.close()
    assert out["external_ref"] == "lone" and counter.durable == 1, counter.log


async def test_one_reference_racing_across_units_of_work_is_replayed_not_refused(stl, bank):
    """Two units of work (two processes' groups) both find the reference
    new; the later one is answered from the winner's receipt."""
    a = await merchant(stl, bank, ref="XA")
    await _warm(stl, bank, a)
    out = await asyncio.gather(*(stl.receipts.post_receipts(bank, [receipt(a.id, 6_000, ref="race")]) for _ in range(3)))
    mine = [o[0] for o in out]
    assert all(isinstance(o, dict) for o in mine), mine
    assert len({o["id"] for o in mine}) == 1 and sum(1 for o in mine if not o["replayed"]) == 1
    current = await A.customer_account(stl.ledger, bank, a.id, "current", "USD")
    assert (await stl.ledger.balance(bank, current)).posted == 100 + 6_000


async def test_batches_racing_with_shared_references_post_each_once(stl, bank):
    """Two batches (two processes) find the same references new; the later
    one is decided again and answers them as replays."""
    a = await merchant(stl, bank, ref="BA")
    await _warm(stl, bank, a)
    one = [receipt(a.id, 100 + n, ref=f"s{n}") for n in range(4)]
    two = [receipt(a.id, 100 + n, ref=f"s{n}") for n in range(2, 6)]
    out1, out2 = await asyncio.gather(stl.receipts.post_receipts(bank, one), stl.receipts.post_receipts(bank, two))
    assert all(isinstance(o, dict) for o in out1 + out2), (out1, out2)
    by_ref: dict[str, set] = {}
    for o in out1 + out2:
        by_ref.setdefault(o["external_ref"], set()).add(o["id"])
    assert all(len(ids) == 1 for ids in by_ref.values())  # s2, s3: one receipt each, answered to both batches
    assert sum(1 for o in out1 + out2 if not o["replayed"]) == 6
    current = await A.customer_account(stl.ledger, bank, a.id, "current", "USD")
    assert (await stl.ledger.balance(bank, current)).posted == 100 + sum(100 + n for n in range(6))
