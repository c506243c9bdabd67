"""A posting's result describes the transaction as written (issue #14): what
``get_transaction`` returns right after the commit, so the HTTP layer builds
its answer without reading it back.  Single postings (group commit) carry it;
``post_batch(..., views=True)`` asks for it; a replay carries none."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from ledger.model import PostPending, Reverse, VoidPending


async def _same_as_read(book, res) -> None:
    assert res.ok and res.view is not None
    assert res.view == await book.ledger.get_transaction(book.institution_id, res.transaction_id)


async def test_every_kind_of_posting_is_described_as_a_read_returns_it(book):
    led, inst = book.ledger, book.institution_id
    meta = {"z": 1, "a": {"y": [1, "two"], "b": None}, "ü": "ß"}
    std = await book.post("bank_usd", "merchant_usd", 10_000, key="std", metadata=meta, description="in", effective_date=date(2026, 1, 5))
    await _same_as_read(book, std)
    assert list(std.view.metadata) == sorted(meta)  # as stored: canonical key order
    expires = datetime(2027, 1, 1, 8, 30, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
    pend = await book.post("merchant_usd", "bank_usd", 4_000, key="pend", pending=True, expires_at=expires)
    await _same_as_read(book, pend)
    assert pend.view.pending_state == "open" and pend.view.expires_at == expires and pend.view.expires_at.utcoffset() == timedelta(0)
    part = await led.post(inst, PostPending(pend.transaction_id, "part", postings=None, description="post"))
    await _same_as_read(book, part)
    pend2 = await book.post("merchant_usd", "bank_usd", 1_000, key="pend2", pending=True)
    void = await led.post(inst, VoidPending(pend2.transaction_id, "void"))
    await _same_as_read(book, void)
    fee = await book.post("bank_usd", "fees", 300, key="fee")
    rev = await led.post(inst, Reverse(fee.transaction_id, "rev", description="back"))
    await _same_as_read(book, rev)


async def test_a_replay_or_a_refusal_carries_no_view(book):
    first = await book.post("bank_usd", "merchant_usd", 500, key="k")
    again = await book.post("bank_usd", "merchant_usd", 500, key="k")
    assert again.replayed and again.view is None and again.transaction_id == first.transaction_id
    refused = await book.ledger.post(book.institution_id, book.tx("merchant_usd", "bank_usd", 10**9, key="no"), raise_on_error=False)
    assert not refused.ok and refused.view is None


async def test_a_batch_carries_views_only_when_asked(book):
    plain = await book.ledger.post_batch(book.institution_id, [book.tx("bank_usd", "merchant_usd", 100)])
    assert plain[0].ok and plain[0].view is None
    asked = await book.ledger.post_batch(book.institution_id, [book.tx("bank_usd", "merchant_usd", 200), book.tx("merchant_usd", "bank_usd", 10**9)], views=True)
    await _same_as_read(book, asked[0])
    assert not asked[1].ok and asked[1].view is None
    # a linked chain within the batch the same
    chain = [book.tx("bank_usd", "merchant_usd", 300, linked=True), book.tx("bank_usd", "fees", 400)]
    linked = await book.ledger.post_batch(book.institution_id, chain, views=True)
    for r in linked:
        await _same_as_read(book, r)
