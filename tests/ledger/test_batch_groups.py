"""Concurrent batches share the group commit: each keeps its own results
(indexes from 0), its linked chains and its idempotency; balances add up."""

from __future__ import annotations

import asyncio

from ledger.model import NewTransaction, Posting


def _chain(book, amount: int, *, fail: bool) -> list[NewTransaction]:
    """A linked pair: bank <- equity, then merchant -> bank (refused when
    ``fail``: the merchant may not go negative)."""
    first = NewTransaction(book.ledger_id, [Posting(book["bank_usd"], amount, "debit"), Posting(book["equity_usd"], amount, "credit")], linked=True)
    second_amount = 10**9 if fail else amount
    second = NewTransaction(book.ledger_id, [Posting(book["merchant_usd"], second_amount, "debit"), Posting(book["bank_usd"], second_amount, "credit")])
    return [first, second]


async def test_concurrent_batches_keep_their_own_results_and_chains(book):
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 100_000)
    batches = []
    for n in range(12):
        items = [book.tx("bank_usd", "equity_usd", 10 + n, key=f"b{n}-0")]
        items += _chain(book, 5, fail=n % 3 == 0)
        items.append(book.tx("fees", "equity_usd", 1, key=f"b{n}-3"))
        batches.append(items)
    # one batch ends in an open chain: refused as before, and never linked to another caller's items
    open_chain = [book.tx("bank_usd", "equity_usd", 7), book.tx("bank_usd", "equity_usd", 7, linked=True)]
    results = await asyncio.gather(*(L.post_batch(inst, b) for b in batches), L.post_batch(inst, open_chain))
    for n, res in enumerate(results[:-1]):
        assert [r.index for r in res] == [0, 1, 2, 3]
        if n % 3 == 0:
            assert [r.code for r in res] == ["ok", "linked_transaction_failed", "insufficient_funds", "ok"]
        else:
            assert [r.code for r in res] == ["ok", "ok", "ok", "ok"]
    assert [r.code for r in results[-1]] == ["ok", "invalid_input"]
    ok_chains = sum(1 for n in range(12) if n % 3)
    bank = await L.balance(inst, book["bank_usd"])
    assert bank.posted == 100_000 + sum(10 + n for n in range(12)) + 5 * ok_chains - 5 * ok_chains + 7
    merchant = await L.balance(inst, book["merchant_usd"])
    assert merchant.posted == 100_000 - 5 * ok_chains
    # a retried batch replays every item, whichever group it lands in
    again = await asyncio.gather(*(L.post_batch(inst, [b[0], b[3]]) for b in batches))
    for n, res in enumerate(again):
        assert [(r.code, r.replayed, r.transaction_id) for r in res] == [
            ("ok", True, results[n][0].transaction_id), ("ok", True, results[n][3].transaction_id)
        ]
    report = await L.verify(inst, book.ledger_id, check_balances=True)
    assert report.ok, report.problem
