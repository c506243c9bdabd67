"""A large batch on PostgreSQL writes its postings and transactions by COPY
(``ledger.posting.COPY_FROM``), and a larger one is copied in steps while
it is decided (``LARGE_BATCH``, ``STREAM_STEP``); what either stores is what
the array path stores: same rows, same chain, same balances, same refusals,
and a linked chain that fails leaves nothing behind."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import ledger.posting as posting
from ledger.ids import uuid7
from ledger.model import CREDIT, DEBIT, NewTransaction, Posting, PostPending, Reverse, VoidPending
from tests.support.books import make_book

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture
def db_kind() -> str:
    """COPY is the PostgreSQL path (SQLite writes with executemany): these
    tests run on PostgreSQL only, rather than as skips on SQLite."""
    return "postgresql"


def _items(book):
    """Every kind of item, odd text included, and one refusal."""
    usd = "USD"
    hold1, hold2, first, eq = uuid7(), uuid7(), uuid7(), uuid7()
    return [
        NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 500, DEBIT, usd), Posting(book["merchant_usd"], 500, CREDIT, usd)],
                       id=first, idempotency_key="k-1", description='quote " backslash \\ tab \t 中文 {brace}, comma',
                       metadata={"order": "O-1", "nested": {"a": [1, 2]}, "text": "换行\nline"}),
        NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 50, DEBIT, usd), Posting(book["equity_usd"], 50, CREDIT, usd)],
                       id=eq, idempotency_key="k-1b"),
        NewTransaction(book.ledger_id, [Posting(book["merchant_usd"], 120, DEBIT, usd), Posting(book["fees"], 120, CREDIT, usd)],
                       pending=True, id=hold1, expires_at=datetime(2027, 1, 1, 12, 30, tzinfo=UTC), idempotency_key="k-2"),
        NewTransaction(book.ledger_id, [Posting(book["merchant_usd"], 30, DEBIT, usd), Posting(book["fees"], 30, CREDIT, usd)],
                       pending=True, id=hold2, idempotency_key="k-3"),
        PostPending(hold1, idempotency_key="k-4", postings=[Posting(book["merchant_usd"], 100, DEBIT, usd), Posting(book["fees"], 100, CREDIT, usd)]),
        VoidPending(hold2, idempotency_key="k-5"),
        Reverse(eq, idempotency_key="k-6", effective_date=date(2026, 11, 30)),
        # refused: the merchant may not go negative
        NewTransaction(book.ledger_id, [Posting(book["merchant_usd"], 10**9, DEBIT, usd), Posting(book["bank_usd"], 10**9, CREDIT, usd)],
                       idempotency_key="k-7"),
        NewTransaction(book.ledger_id, [Posting(book["bank_cny"], 7_000, DEBIT, "CNY"), Posting(book["merchant_cny"], 7_000, CREDIT, "CNY")],
                       idempotency_key="k-8", effective_date=date(2026, 12, 1)),
        # a linked chain whose second member is refused: neither is written
        NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 1, DEBIT, usd), Posting(book["equity_usd"], 1, CREDIT, usd)],
                       idempotency_key="k-9", linked=True),
        NewTransaction(book.ledger_id, [Posting(book["merchant_cny"], 10**9, DEBIT, "CNY"), Posting(book["bank_cny"], 10**9, CREDIT, "CNY")],
                       idempotency_key="k-10"),
        NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 2, DEBIT, usd), Posting(book["equity_usd"], 2, CREDIT, usd)],
                       idempotency_key="k-11"),
    ]

#: (COPY_FROM, LARGE_BATCH, STREAM_STEP): arrays; one COPY for anything of 2
#: postings or more; copies in steps of 2 items (a step never splits the
#: linked chain, later steps name transactions of earlier ones)
PATHS = {"arrays": (10**9, 10**9, 100), "copy": (2, 10**9, 100), "streamed": (2, 2, 2)}


async def _stored(book):
    led = book.ledger
    txs = []
    for t in await led.list_transactions(book.institution_id, book.ledger_id, limit=100):
        v = await led.get_transaction(book.institution_id, t.id)
        txs.append((v.seq, v.kind, v.description, v.metadata, v.effective_date, v.expires_at, v.idempotency_key,
                    [(p.line_no, book_code(book, p.account_id), p.amount, p.phase) for p in v.postings]))
    bal = {code: await led.balance(book.institution_id, acct) for code, acct in book.accounts.items()}
    return sorted(txs), {c: (b.debits_posted, b.credits_posted, b.pending_debits, b.pending_credits) for c, b in bal.items()}


def book_code(book, account_id):
    return next(c for c, a in book.accounts.items() if a == account_id)


async def test_copy_paths_store_what_the_array_path_stores(ledger, engine, monkeypatch):
    assert engine.dialect.name == "postgresql"
    stored = {}
    sends = []
    real_copy = posting._Batch._copy_pg

    async def counting_copy(self, pgc, led, rec, postings, txs):
        sends.append(postings[1] - postings[0])
        await real_copy(self, pgc, led, rec, postings, txs)

    monkeypatch.setattr(posting._Batch, "_copy_pg", counting_copy)
    for name, (copy_from, large, step) in PATHS.items():
        monkeypatch.setattr(posting, "COPY_FROM", copy_from)
        monkeypatch.setattr(posting, "LARGE_BATCH", large)
        monkeypatch.setattr(posting, "STREAM_STEP", step)
        book = await make_book(ledger)
        sends.clear()
        results = await ledger.post_batch(book.institution_id, _items(book))
        codes = ["ok"] * 7 + ["insufficient_funds", "ok", "linked_transaction_failed", "insufficient_funds", "ok"]
        assert [r.code for r in results] == codes, name
        rep = await ledger.verify(book.institution_id, book.ledger_id, check_balances=True)
        assert rep.ok and rep.transactions_checked == 9, name
        stored[name] = await _stored(book)
        n_postings = sum(len(t[-1]) for t in stored[name][0])
        # arrays: no COPY; copy: one, of every posting; streamed: several, every posting once
        if name == "streamed":
            # the first step's copy starts at once; later steps join the next copy while one runs
            assert sends[0] == 4 and len(sends) >= 2 and sum(sends) == n_postings, sends
        else:
            assert sends == ([] if name == "arrays" else [n_postings])
    assert stored["arrays"] == stored["copy"] == stored["streamed"]
    txs, balances = stored["copy"]
    assert len(txs) == 9
    assert balances["fees"] == (0, 100, 0, 0) and balances["merchant_usd"] == (100, 500, 0, 0)
    assert balances["bank_usd"] == (552, 50, 0, 0) and balances["merchant_cny"] == (0, 7_000, 0, 0)


async def test_copy_path_replays_and_refuses_a_reused_key(ledger, engine, monkeypatch):
    assert engine.dialect.name == "postgresql"
    monkeypatch.setattr(posting, "COPY_FROM", 2)
    book = await make_book(ledger)
    items = _items(book)
    first = await ledger.post_batch(book.institution_id, items[:1])
    again = await ledger.post_batch(book.institution_id, items[:1])
    assert again[0].replayed and again[0].transaction_id == first[0].transaction_id
    rep = await ledger.verify(book.institution_id, book.ledger_id, check_balances=True)
    assert rep.ok and rep.transactions_checked == 1
    # the same time tomorrow, a different batch: the chain goes on from the COPY-written head
    later = await ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", 9, key="k-12", effective_date=date.today() + timedelta(days=1))])
    assert later[0].ok
    assert (await ledger.verify(book.institution_id, book.ledger_id, check_balances=True)).ok


@pytest.mark.parametrize("copy_from", [10**9, 2])
@pytest.mark.parametrize("field", ["description", "idempotency_key"])
async def test_nul_in_text_is_a_refusal_on_either_path_not_a_driver_error(ledger, monkeypatch, copy_from, field):
    """PostgreSQL text cannot hold NUL: a library caller gets the item refused
    (``invalid_input``), the rest of the batch written, nothing of the item."""
    monkeypatch.setattr(posting, "COPY_FROM", copy_from)
    book = await make_book(ledger)
    bad = book.tx("bank_usd", "equity_usd", 5, key="bad-key")
    setattr(bad, field, "a\x00b")
    good = book.tx("bank_usd", "equity_usd", 7, key="good-key")
    results = await ledger.post_batch(book.institution_id, [bad, good])
    assert [r.code for r in results] == ["invalid_input", "ok"]
    assert "NUL" in str(results[0].error)
    bal = await ledger.balance(book.institution_id, book["bank_usd"])
    assert bal.debits_posted == 7


async def test_copy_path_takes_the_largest_amount_and_refuses_one_more(ledger, monkeypatch):
    from ledger.money import MAX_AMOUNT_MINOR

    monkeypatch.setattr(posting, "COPY_FROM", 2)
    book = await make_book(ledger)
    results = await ledger.post_batch(
        book.institution_id,
        [book.tx("bank_usd", "equity_usd", MAX_AMOUNT_MINOR, key="max"), book.tx("bank_usd", "equity_usd", MAX_AMOUNT_MINOR + 1, key="max+1")],
    )
    assert [r.code for r in results] == ["ok", "amount_out_of_range"]
    bal = await ledger.balance(book.institution_id, book["bank_usd"])
    assert bal.debits_posted == MAX_AMOUNT_MINOR
    assert (await ledger.verify(book.institution_id, book.ledger_id, check_balances=True)).ok


class _Boom(Exception):
    pass


@pytest.mark.parametrize("where", ["copy", "decide"])
async def test_a_failure_while_copying_in_steps_writes_nothing_and_frees_the_connection(ledger, monkeypatch, where):
    """A copy that fails, or deciding that fails while a copy runs: the batch
    raises, nothing of it stays, and the ledger takes the next batch."""
    monkeypatch.setattr(posting, "LARGE_BATCH", 4)
    monkeypatch.setattr(posting, "STREAM_STEP", 2)
    book = await make_book(ledger)
    calls = []
    if where == "copy":
        real = posting._Batch._copy_pg

        async def failing(self, *args):
            calls.append(1)
            if len(calls) == 2:
                raise _Boom("the second copy fails")
            await real(self, *args)

        monkeypatch.setattr(posting._Batch, "_copy_pg", failing)
    else:
        real_one = posting._Batch.decide_one

        def failing_decide(self, k):
            if k == 7:
                raise _Boom("deciding item 7 fails")
            return real_one(self, k)

        monkeypatch.setattr(posting._Batch, "decide_one", failing_decide)
    with pytest.raises(_Boom):
        await ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", k + 1, key=f"s-{k}") for k in range(12)])
    monkeypatch.undo()
    bal = await ledger.balance(book.institution_id, book["bank_usd"])
    assert bal.debits_posted == 0
    results = await ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", k + 1, key=f"s-{k}") for k in range(12)])
    assert all(r.ok and not r.replayed for r in results)
    assert (await ledger.balance(book.institution_id, book["bank_usd"])).debits_posted == 78
    assert (await ledger.verify(book.institution_id, book.ledger_id, check_balances=True)).ok
