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
from ledger.schema import STATEMENT_CHECKED_FKS, postings, transactions
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
            assert "fk_postings_transaction_id_transactions" in names  # orphan postings: still refused at commit
            triggers = set((await conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
            assert {"accounts_keep_deleted", "accounts_keep_key", "ledgers_keep_deleted", "ledgers_keep_key"} <= triggers
        else:
            fks = {(r[2], r[3]) for t in ("postings", "transactions") for r in (await conn.exec_driver_sql(f"PRAGMA foreign_key_list({t})")).all()}
            assert {("accounts", "account_id"), ("ledgers", "ledger_id"), ("institutions", "institution_id"), ("transactions", "pending_id")} <= fks
