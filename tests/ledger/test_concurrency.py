"""Many concurrent writers on one hot account never lose an update and never
break its balance flag (PostgreSQL, real concurrent database transactions)."""

from __future__ import annotations

import asyncio
import random

import pytest

from ledger.service import Ledger


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_fifty_concurrent_writers_on_a_hot_account_keep_its_balance(book, engine, settings):
    hot = book["merchant_usd"]  # liability with debits_must_not_exceed_credits
    await book.post("bank_usd", "merchant_usd", 10_000)
    # several Ledger instances on the same database = several application
    # processes: their group committers run concurrent database transactions
    ledgers = [book.ledger] + [Ledger(engine, settings) for _ in range(4)]
    accepted: list[int] = []  # signed effect on the hot account's balance
    refused = 0
    rng = random.Random(7)

    async def writer(n: int) -> None:
        nonlocal refused
        led = ledgers[n % len(ledgers)]
        for i in range(12):
            amount = rng.randint(1, 900)
            withdraw = rng.random() < 0.7
            tx = book.tx("merchant_usd", "bank_usd", amount, key=f"w{n}-{i}") if withdraw else book.tx("bank_usd", "merchant_usd", amount, key=f"w{n}-{i}")
            if n % 2:
                res = (await led.post_batch(book.institution_id, [tx]))[0]  # its own database transaction
            else:
                res = await led.post(book.institution_id, tx, raise_on_error=False)  # group commit
            if res.ok:
                accepted.append(-amount if withdraw else amount)
            else:
                assert res.code == "insufficient_funds", res.code
                refused += 1

    await asyncio.gather(*[writer(n) for n in range(50)])
    bal = await book.ledger.balance(book.institution_id, hot)
    assert bal.posted == 10_000 + sum(accepted)
    assert len(accepted) + refused == 600
    assert refused > 0  # the flag was actually exercised
    # the running balance never went below zero at any point of the history
    lines, cursor = [], None
    while True:
        page = await book.ledger.statement(book.institution_id, hot, cursor=cursor, limit=1000)
        lines += page.lines
        if not (cursor := page.next_cursor):
            break
    assert len(lines) == 1 + len(accepted)
    assert min(line.balance_after for line in lines) >= 0
    assert lines[-1].balance_after == bal.posted
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert report.ok, report.problem
