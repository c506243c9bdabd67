"""Two writers with one idempotency key at the same moment (issue #14: a
batch reads its keys' records before it locks its ledgers).  The second
writer read the table before the first committed, so it decides the item
anew; its insert of the key then collides with the first's record and the
retry (``is_idempotency_race``) replays the first's outcome: the money moves
once, and both callers learn the same transaction."""

from __future__ import annotations

import asyncio

from ledger.db import run_in_transaction
from ledger.posting import is_idempotency_race, post_batch


async def test_a_key_recorded_while_a_writer_waits_for_the_lock_is_replayed_not_posted_twice(book, engine, ledger):
    inst = book.institution_id
    item = book.tx("bank_usd", "merchant_usd", 4_200, key="race-1")
    before = (await ledger.get_account(inst, book["merchant_usd"])).credits_posted
    async with engine.begin() as first:
        mine = await post_batch(first, inst, [item])  # holds the ledger's lock until it commits
        assert mine[0].ok and not mine[0].replayed
        attempts = 0

        async def second_writer(conn):
            nonlocal attempts
            attempts += 1
            return await post_batch(conn, inst, [book.tx("bank_usd", "merchant_usd", 4_200, key="race-1")])

        other = asyncio.create_task(run_in_transaction(engine, second_writer, retries=5, retry_on=is_idempotency_race))
        await asyncio.sleep(0.5)  # it has read the key's record (none yet) and waits for the lock (SQLite: for BEGIN)
        assert not other.done()
    theirs = await other
    assert theirs[0].ok and theirs[0].replayed and theirs[0].transaction_id == mine[0].transaction_id
    if engine.dialect.name == "postgresql":
        assert attempts == 2  # the first attempt collided with the committed record and was retried
    after = (await ledger.get_account(inst, book["merchant_usd"])).credits_posted
    assert after - before == 4_200
