"""The journal's keys hold whatever path writes, on both databases.

On PostgreSQL ``postings -> accounts``, ``transactions -> ledgers /
institutions`` and the pending / reversed references are checked once per
statement by the journal's triggers (migration 0031, issue #14: the
row-by-row foreign-key triggers were a quarter of a large batch's database
time); SQLite keeps them as foreign keys.  These tests write rows directly,
as a buggy or hostile path would, and expect the same refusal on both, with
nothing written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from ledger.ids import uuid7
from ledger.model import CREDIT, DEBIT, NewTransaction, Posting, PostPending, Reverse
from ledger.schema import STATEMENT_CHECKED_FKS, ledger_open_journal, postings, transactions
from tests.support.books import make_book

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def _posting_rows(tx_id, inst, ledger_id, lines):
    return [
        dict(transaction_id=tx_id, line_no=n, institution_id=inst, ledger_id=ledger_id, account_id=acct, currency="USD", amount=amt,
             phase="posted", account_version=1000 + n, balance_after=amt, effective_date=NOW.date(), recorded_at=NOW)
        for n, (acct, amt) in enumerate(lines)
    ]


def _tx_row(tx_id, inst, ledger_id, **kw):
    row = dict(id=tx_id, institution_id=inst, ledger_id=ledger_id, seq=10_000, kind="standard", effective_date=NOW.date(), recorded_at=NOW,
               description="", metadata={}, idempotency_key=f"direct:{tx_id}", prev_hash="0" * 64, hash="0" * 64)
    row.update(kw)
    return row


async def _write_directly(engine, posting_rows, tx_row) -> None:
    async with engine.begin() as conn:
        await conn.execute(postings.insert(), posting_rows)
        await conn.execute(transactions.insert().values(**tx_row))


async def _count(engine, table) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()


async def test_a_balanced_transaction_written_directly_is_accepted(book, engine):
    """The control: the rows the refusals below vary are acceptable as they stand."""
    tx_id = uuid7()
    await _write_directly(engine, _posting_rows(tx_id, book.institution_id, book.ledger_id, [(book["bank_usd"], 5), (book["equity_usd"], -5)]),
                          _tx_row(tx_id, book.institution_id, book.ledger_id))
    assert await _count(engine, transactions) == 1 and await _count(engine, postings) == 2


@pytest.mark.parametrize(
    ("wrong", "constraint"),
    [
        ("their_account", "fk_postings_account_id_accounts"),
        ("no_account", "fk_postings_account_id_accounts"),
        ("their_ledger", "fk_transactions_ledger_id_ledgers"),
    ],
)
async def test_database_refuses_rows_naming_what_the_institution_does_not_have(book, ledger, engine, wrong, constraint):
    other = await make_book(ledger)
    tx_id = uuid7()
    second = {"their_account": other["equity_usd"], "no_account": uuid7()}.get(wrong, book["equity_usd"])
    ledger_id = other.ledger_id if wrong == "their_ledger" else book.ledger_id
    rows = _posting_rows(tx_id, book.institution_id, book.ledger_id, [(book["bank_usd"], 5), (second, -5)])
    with pytest.raises(IntegrityError) as err:
        await _write_directly(engine, rows, _tx_row(tx_id, book.institution_id, ledger_id))
    if engine.dialect.name == "postgresql":
        assert err.value.orig.__cause__.constraint_name == constraint
        assert "does not have" in str(err.value)
    assert await _count(engine, postings) == 0 and await _count(engine, transactions) == 0


@pytest.mark.parametrize("column", ["reverses_id", "pending_id"])
async def test_database_refuses_a_reference_to_another_institutions_transaction(book, ledger, engine, column):
    other = await make_book(ledger)
    theirs = await other.post("bank_usd", "equity_usd", 7)
    tx_id = uuid7()
    rows = _posting_rows(tx_id, book.institution_id, book.ledger_id, [(book["bank_usd"], 5), (book["equity_usd"], -5)])
    kind = "reversal" if column == "reverses_id" else "post_pending"
    with pytest.raises(IntegrityError):
        await _write_directly(engine, rows, _tx_row(tx_id, book.institution_id, book.ledger_id, kind=kind, **{column: theirs.transaction_id}))
    assert await _count(engine, transactions) == 1  # theirs only


async def test_accounts_and_ledgers_in_use_are_never_deleted_or_rekeyed(book, engine):
    await book.post("bank_usd", "equity_usd", 100)
    statements = [
        (sa.text("DELETE FROM accounts WHERE code = 'bank_usd'"), {}),
        (sa.text("DELETE FROM ledgers WHERE code = 'main'"), {}),
    ]
    if engine.dialect.name == "postgresql":  # SQLite has no ON UPDATE rule here; PostgreSQL refuses any re-keying
        statements += [
            (sa.text("UPDATE accounts SET id = :new WHERE code = 'bank_usd'"), {"new": uuid7()}),
            (sa.text("UPDATE ledgers SET id = :new WHERE code = 'main'"), {"new": uuid7()}),
            (sa.text("DELETE FROM accounts WHERE code = 'fees'"), {}),  # unused: refused too, accounts are closed, not deleted
        ]
    for stmt, params in statements:
        with pytest.raises(DBAPIError):
            async with engine.begin() as conn:
                await conn.execute(stmt, params)
    bal = await book.ledger.balance(book.institution_id, book["bank_usd"])
    assert bal.debits_posted == 100


async def test_a_pending_and_its_post_in_one_batch_still_write(book):
    """Both rows reach the database in one statement: the statement-level
    check finds the pending transaction the post refers to."""
    pid = uuid7()
    hold = NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 40, DEBIT, "USD"), Posting(book["equity_usd"], 40, CREDIT, "USD")],
                          pending=True, id=pid, idempotency_key="hold")
    results = await book.ledger.post_batch(book.institution_id, [hold, PostPending(pid, idempotency_key="post")])
    assert [r.code for r in results] == ["ok", "ok"]
    rev = await book.ledger.post_batch(book.institution_id, [Reverse(results[1].transaction_id, idempotency_key="rev")])
    assert rev[0].ok
    bal = await book.ledger.balance(book.institution_id, book["bank_usd"])
    assert (bal.debits_posted, bal.credits_posted, bal.pending_debits) == (40, 40, 0)


async def test_postgresql_checks_these_keys_in_the_triggers_and_sqlite_as_foreign_keys(engine):
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            names = set((await conn.exec_driver_sql("SELECT conname FROM pg_constraint WHERE contype = 'f'")).scalars())
            assert names.isdisjoint(STATEMENT_CHECKED_FKS)
            triggers = set((await conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
            assert {"accounts_keep_deleted", "accounts_keep_key", "ledgers_keep_deleted", "ledgers_keep_key"} <= triggers
            # orphan postings: refused at commit by one deferred check per database transaction (migration 0032)
            deferred = (await conn.exec_driver_sql(
                "SELECT tgdeferrable AND tginitdeferred FROM pg_trigger WHERE tgname = 'ledger_open_journal_sealed'")).scalar_one()
            assert deferred is True
        else:
            fks = {(r[2], r[3]) for t in ("postings", "transactions") for r in (await conn.exec_driver_sql(f"PRAGMA foreign_key_list({t})")).all()}
            assert {("accounts", "account_id"), ("ledgers", "ledger_id"), ("institutions", "institution_id"), ("transactions", "pending_id"),
                    ("transactions", "transaction_id")} <= fks


async def _refused_at_commit(engine, *statements) -> IntegrityError:
    with pytest.raises(IntegrityError) as err:
        async with engine.begin() as conn:
            for stmt, rows in statements:
                await conn.execute(stmt, rows)
    if engine.dialect.name == "postgresql":
        assert err.value.orig.__cause__.constraint_name == "fk_postings_transaction_id_transactions"
    return err.value


def _two_transactions(book):
    """Postings of two balanced transactions: (the first one's id, its rows, the second one's rows)."""
    a, b = uuid7(), uuid7()
    rows_a = _posting_rows(a, book.institution_id, book.ledger_id, [(book["bank_usd"], 5), (book["equity_usd"], -5)])
    rows_b = _posting_rows(b, book.institution_id, book.ledger_id, [(book["bank_usd"], 7), (book["equity_usd"], -7)])
    for row in rows_b:
        row["account_version"] += 10
    return a, rows_a, rows_b


async def test_postings_whose_transaction_never_comes_are_refused_at_commit(book, engine):
    """Postings written without their transaction: the commit fails and
    nothing stays, whether the statement wrote them in one statement or
    row by row, and whether another transaction of the same database
    transaction was recorded."""
    a, rows_a, rows_b = _two_transactions(book)
    await _refused_at_commit(engine, (postings.insert(), rows_a))
    await _refused_at_commit(engine, (postings.insert(), rows_a[:1]), (postings.insert(), rows_a[1:]))
    await _refused_at_commit(engine, (postings.insert(), rows_a + rows_b), (transactions.insert(), [_tx_row(a, book.institution_id, book.ledger_id)]))
    assert await _count(engine, postings) == 0 and await _count(engine, transactions) == 0
    assert await _count(engine, ledger_open_journal) == 0


async def test_postings_split_over_statements_and_savepoints_still_seal(book, engine):
    """The count is of postings, not statements: a transaction's postings
    written one row at a time seal; postings rolled back with a savepoint
    are not counted."""
    a, rows_a, rows_b = _two_transactions(book)
    async with engine.begin() as conn:
        for row in rows_a:
            await conn.execute(postings.insert().values(**row))
        nested = await conn.begin_nested()
        await conn.execute(postings.insert(), rows_b)  # never sealed: rolled back with the savepoint
        await nested.rollback()
        await conn.execute(transactions.insert().values(**_tx_row(a, book.institution_id, book.ledger_id)))
    assert await _count(engine, postings) == 2 and await _count(engine, transactions) == 1
    assert await _count(engine, ledger_open_journal) == 0


async def test_a_posting_of_another_institution_does_not_balance_a_transaction(book, ledger, engine):
    """Postings under one transaction id but of two institutions: each side
    is one posting of its own (refused), not a balanced pair."""
    other = await make_book(ledger)
    tx_id = uuid7()
    rows = _posting_rows(tx_id, book.institution_id, book.ledger_id, [(book["bank_usd"], 5)])
    rows += _posting_rows(tx_id, other.institution_id, other.ledger_id, [(other["equity_usd"], -5)])
    rows[1]["line_no"] = 1
    with pytest.raises(IntegrityError):
        await _write_directly(engine, rows, _tx_row(tx_id, book.institution_id, book.ledger_id))
    assert await _count(engine, postings) == 0 and await _count(engine, transactions) == 0


async def test_large_batches_leave_no_count_behind(book):
    """A batch large enough to be copied in steps while it is decided
    (``LARGE_BATCH``) writes every posting once; the per-transaction counts
    are gone after the commit."""
    from ledger.posting import LARGE_BATCH

    n = LARGE_BATCH + 321
    items = [book.tx("bank_usd", "equity_usd", k + 1) for k in range(n)]
    results = await book.ledger.post_batch(book.institution_id, items)
    assert all(r.ok for r in results) and len({r.transaction_id for r in results}) == n
    bal = await book.ledger.balance(book.institution_id, book["bank_usd"])
    assert bal.debits_posted == n * (n + 1) // 2
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert report.ok, report
    assert await _count(book.ledger.engine, postings) == 2 * n
    assert await _count(book.ledger.engine, ledger_open_journal) == 0
