"""A large batch pauses Python's cyclic garbage collector while it runs
(``ledger.posting.LARGE_BATCH``): the collector runs again afterwards, also
when the batch fails, stays off when the caller had turned it off, and one
batch ending does not restart it under another still running."""

from __future__ import annotations

import asyncio
import gc

import pytest

import ledger.posting as posting
from tests.support.books import make_book


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _watch(monkeypatch, seen):
    real = posting._Batch.screen

    def screen(self):
        seen.append(gc.isenabled())
        return real(self)

    monkeypatch.setattr(posting._Batch, "screen", screen)


async def test_large_batches_pause_the_collector_and_small_ones_do_not(ledger, monkeypatch, collector_on):
    monkeypatch.setattr(posting, "LARGE_BATCH", 3)
    book = await make_book(ledger)
    seen: list = []
    _watch(monkeypatch, seen)
    await ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", 1)] * 2)
    await ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", 1) for _ in range(3)])
    assert seen == [True, False]
    assert gc.isenabled()
    gc.disable()  # the caller's choice is kept
    await ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", 1) for _ in range(3)])
    assert not gc.isenabled()
    gc.enable()
    assert (await ledger.balance(book.institution_id, book["bank_usd"])).debits_posted == 8


async def test_the_collector_runs_again_after_a_failed_batch(ledger, monkeypatch, collector_on):
    monkeypatch.setattr(posting, "LARGE_BATCH", 3)
    book = await make_book(ledger)

    def broken(self):
        raise RuntimeError("screening fails")

    monkeypatch.setattr(posting._Batch, "screen", broken)
    with pytest.raises(RuntimeError):
        await ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", 1) for _ in range(3)])
    assert gc.isenabled()


@pytest.mark.parametrize("every", [60.0, 0.0])
@pytest.mark.parametrize("db_kind", ["postgresql"])  # two writers at once: SQLite's pool has one connection
async def test_the_collector_runs_again_only_when_the_last_of_two_overlapping_batches_ends(ledger, monkeypatch, collector_on, db_kind, every):
    """Two batches overlap (each its own database transaction, different
    ledgers): the first to end leaves the collector paused for the other,
    and collects once if the pause has lasted ``COLLECT_AT_LEAST_EVERY``."""
    monkeypatch.setattr(posting, "LARGE_BATCH", 3)
    monkeypatch.setattr(posting, "COLLECT_AT_LEAST_EVERY", every)
    books = await make_book(ledger), await make_book(ledger)
    full: list[int] = []

    def on_gc(phase, info):
        # a collection while the collector is off: one asked for explicitly
        if phase == "start" and info["generation"] == 2 and not gc.isenabled():
            full.append(1)

    gc.callbacks.append(on_gc)
    try:
        await _overlap(ledger, monkeypatch, *books)
    finally:
        gc.callbacks.remove(on_gc)
    assert len(full) == (1 if every == 0.0 else 0)


async def _overlap(ledger, monkeypatch, book, other):
    gates = {book.institution_id: asyncio.Event(), other.institution_id: asyncio.Event()}
    seen: list = []
    real_load = posting._Batch.load_accounts

    async def load_accounts(self):
        seen.append(("waiting", gc.isenabled()))
        await gates[self.inst].wait()
        seen.append(("loading", gc.isenabled()))
        await real_load(self)

    monkeypatch.setattr(posting._Batch, "load_accounts", load_accounts)
    first = asyncio.ensure_future(posting_call(ledger, book))
    second = asyncio.ensure_future(posting_call(ledger, other))
    while len(seen) < 2:
        await asyncio.sleep(0.01)
    gates[book.institution_id].set()
    await first
    assert seen == [("waiting", False), ("waiting", False), ("loading", False)]
    assert not gc.isenabled()  # the second batch still runs
    gates[other.institution_id].set()
    await second
    assert seen[-1] == ("loading", False)
    assert gc.isenabled()


async def posting_call(ledger, book):
    # through the library function (one connection each): the service's
    # group committer would merge the two into one batch
    async with ledger.engine.begin() as conn:
        return await posting.post_batch(conn, book.institution_id, [book.tx("bank_usd", "equity_usd", 1) for _ in range(3)])
