"""Ledger posting rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from ledger import errors as E
from ledger.model import NewTransaction, Posting, PostPending, Reverse, VoidPending
from ledger.schema import ledger_idempotency, postings, transactions


async def test_balanced_transaction_moves_posted_balances(book):
    res = await book.post("bank_usd", "merchant_usd", 10_000, key="r1")
    assert res.ok and res.transaction_id
    bank = await book.ledger.balance(book.institution_id, book["bank_usd"])
    merchant = await book.ledger.balance(book.institution_id, book["merchant_usd"])
    assert (bank.posted, bank.debits_posted, bank.credits_posted) == (10_000, 10_000, 0)
    assert (merchant.posted, merchant.available) == (10_000, 10_000)
    tx = await book.ledger.get_transaction(book.institution_id, res.transaction_id)
    assert [(p.amount, p.phase) for p in tx.postings] == [(10_000, "posted"), (-10_000, "posted")]
    assert tx.seq == 1 and len(tx.hash) == 64


async def test_multi_currency_transaction_must_balance_per_currency(book):
    L = book.ledger
    # a conversion: two single-currency legs, each balanced on its own
    await book.post("bank_usd", "merchant_usd", 50_000)
    ok = NewTransaction(
        book.ledger_id,
        [
            Posting(book["merchant_usd"], 10_000, "debit"),
            Posting(book["bank_usd"], 10_000, "credit"),
            Posting(book["bank_cny"], 71_000, "debit"),
            Posting(book["merchant_cny"], 71_000, "credit"),
        ],
    )
    assert (await L.post(book.institution_id, ok)).ok
    bad = NewTransaction(
        book.ledger_id,
        [Posting(book["merchant_usd"], 10_000, "debit"), Posting(book["merchant_cny"], 10_000, "credit")],
    )
    with pytest.raises(E.UnbalancedTransaction) as err:
        await L.post(book.institution_id, bad)
    assert err.value.details["currency"] in ("USD", "CNY")
    assert err.value.details["difference"].lstrip("-") in ("100.00", "1000.00")  # decimal strings of the currency named


async def test_unbalanced_amounts_are_refused_with_the_difference(book):
    tx = NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 100, "debit"), Posting(book["equity_usd"], 99, "credit")])
    with pytest.raises(E.UnbalancedTransaction) as err:
        await book.ledger.post(book.institution_id, tx)
    assert err.value.details == {"currency": "USD", "difference": "0.01"}
    assert (await book.ledger.balance(book.institution_id, book["bank_usd"])).posted == 0


@pytest.mark.parametrize(
    "postings_,error",
    [
        ([], E.TooFewPostings),
        ([("bank_usd", 100, "debit")], E.TooFewPostings),
        ([("bank_usd", 0, "debit"), ("equity_usd", 0, "credit")], E.InvalidAmount),
        ([("bank_usd", -5, "debit"), ("equity_usd", -5, "credit")], E.InvalidAmount),
        ([("bank_usd", 5, "up"), ("equity_usd", 5, "credit")], E.InvalidInput),
    ],
)
async def test_malformed_transactions_are_refused_and_change_nothing(book, postings_, error):
    tx = NewTransaction(book.ledger_id, [Posting(book[a], amt, side) for a, amt, side in postings_], idempotency_key="bad")
    with pytest.raises(error):
        await book.ledger.post(book.institution_id, tx)
    tb = await book.ledger.trial_balance(book.institution_id, book.ledger_id)
    assert all(line.debits == 0 and line.credits == 0 for line in tb.lines)


async def test_debits_must_not_exceed_credits_refuses_with_available_and_requested(book):
    await book.post("bank_usd", "merchant_usd", 5_000)
    with pytest.raises(E.InsufficientFunds) as err:
        await book.post("merchant_usd", "bank_usd", 5_001)
    assert (err.value.details["available"], err.value.details["requested"], err.value.details["currency"]) == ("50.00", "50.01", "USD")
    assert (err.value.available_minor, err.value.requested_minor) == (5_000, 5_001)
    assert err.value.details["account"] == str(book["merchant_usd"])
    assert (await book.post("merchant_usd", "bank_usd", 5_000)).ok
    assert (await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted == 0


async def test_credits_must_not_exceed_debits(ledger, book):
    acct = await ledger.create_account(book.institution_id, book.ledger_id, "loan", "USD", "asset", credits_must_not_exceed_debits=True)
    book.accounts["loan"] = acct.id
    await book.post("loan", "bank_usd", 1_000)
    with pytest.raises(E.CreditLimitExceeded) as err:
        await book.post("bank_usd", "loan", 1_500)
    assert (err.value.details["available"], err.value.details["requested"], err.value.details["currency"]) == ("10.00", "15.00", "USD")
    assert (await book.post("bank_usd", "loan", 1_000)).ok


async def test_currency_mismatch_and_foreign_ledger_accounts_are_refused(ledger, book):
    tx = NewTransaction(
        book.ledger_id, [Posting(book["bank_usd"], 100, "debit", "EUR"), Posting(book["equity_usd"], 100, "credit", "EUR")]
    )
    with pytest.raises(E.CurrencyMismatch):
        await ledger.post(book.institution_id, tx)
    other = await ledger.create_ledger(book.institution_id, "other")
    stray = await ledger.create_account(book.institution_id, other.id, "stray", "USD", "asset")
    tx = NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 100, "debit"), Posting(stray.id, 100, "credit")])
    with pytest.raises(E.LedgerMismatch):
        await ledger.post(book.institution_id, tx)


async def test_another_institutions_accounts_do_not_exist(ledger, book):
    from tests.support.books import make_book

    other = await make_book(ledger)
    tx = NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 100, "debit"), Posting(other["equity_usd"], 100, "credit")])
    with pytest.raises(E.AccountNotFound):
        await ledger.post(book.institution_id, tx)
    with pytest.raises(E.AccountNotFound):
        await ledger.balance(book.institution_id, other["bank_usd"])
    with pytest.raises(E.LedgerNotFound):
        await ledger.trial_balance(book.institution_id, other.ledger_id)
    res = await other.post("bank_usd", "equity_usd", 10)
    with pytest.raises(E.TransactionNotFound):
        await ledger.get_transaction(book.institution_id, res.transaction_id)
    with pytest.raises(E.TransactionNotFound):
        await ledger.post(book.institution_id, Reverse(res.transaction_id, "steal"))


async def test_closed_account_accepts_no_posting(ledger, book):
    await ledger.set_account_closed(book.institution_id, book["fees"], True)
    with pytest.raises(E.AccountClosed):
        await book.post("bank_usd", "fees", 10)
    await ledger.set_account_closed(book.institution_id, book["fees"], False)
    assert (await book.post("bank_usd", "fees", 10)).ok


async def test_idempotent_retry_returns_the_original_transaction(book):
    first = await book.post("bank_usd", "merchant_usd", 700, key="pay-1")
    again = await book.post("bank_usd", "merchant_usd", 700, key="pay-1")
    assert again.transaction_id == first.transaction_id and again.replayed
    assert (await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted == 700


async def test_a_retry_never_turns_a_refusal_into_a_posting(book):
    with pytest.raises(E.InsufficientFunds):
        await book.post("merchant_usd", "bank_usd", 300, key="wd-1")
    await book.post("bank_usd", "merchant_usd", 1_000, key="dep-1")  # funds arrive meanwhile
    with pytest.raises(E.InsufficientFunds) as err:
        await book.post("merchant_usd", "bank_usd", 300, key="wd-1")
    assert err.value.details["available"] == "0.00" and err.value.available_minor == 0  # the original refusal, replayed
    assert (await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted == 1_000


async def test_same_key_with_different_content_is_a_conflict(book):
    await book.post("bank_usd", "merchant_usd", 700, key="pay-2")
    with pytest.raises(E.IdempotencyConflict):
        await book.post("bank_usd", "merchant_usd", 701, key="pay-2")
    assert (await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted == 700


async def test_keys_are_scoped_to_the_institution(ledger, book):
    from tests.support.books import make_book

    other = await make_book(ledger)
    a = await book.post("bank_usd", "merchant_usd", 1, key="shared-key")
    b = await other.post("bank_usd", "merchant_usd", 2, key="shared-key")
    assert a.transaction_id != b.transaction_id and not b.replayed


async def test_concurrent_retries_with_one_key_post_once(book):
    results = await asyncio.gather(*[book.post("bank_usd", "merchant_usd", 42, key="race") for _ in range(10)])
    assert len({r.transaction_id for r in results}) == 1
    assert (await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted == 42


async def test_pending_holds_funds_then_posts_partly_and_releases_the_rest(book):
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 1_000)
    hold = await book.post("merchant_usd", "bank_usd", 600, key="hold", pending=True)
    bal = await L.balance(inst, book["merchant_usd"])
    assert (bal.posted, bal.pending_debits, bal.available) == (1_000, 600, 400)
    with pytest.raises(E.InsufficientFunds) as err:  # the hold counts against the flag
        await book.post("merchant_usd", "bank_usd", 401)
    assert err.value.details["available"] == "4.00"
    partial = [Posting(book["merchant_usd"], 250, "debit"), Posting(book["bank_usd"], 250, "credit")]
    assert (await L.post(inst, PostPending(hold.transaction_id, "post-hold", postings=partial))).ok
    bal = await L.balance(inst, book["merchant_usd"])
    assert (bal.posted, bal.pending_debits, bal.available) == (750, 0, 750)
    with pytest.raises(E.PendingNotOpen) as err:
        await L.post(inst, VoidPending(hold.transaction_id, "void-late"))
    assert err.value.details["state"] == "posted"
    view = await L.get_transaction(inst, hold.transaction_id)
    assert view.pending_state == "posted"


async def test_posting_more_than_held_is_refused(book):
    await book.post("bank_usd", "merchant_usd", 1_000)
    hold = await book.post("merchant_usd", "bank_usd", 100, pending=True)
    too_much = [Posting(book["merchant_usd"], 101, "debit"), Posting(book["bank_usd"], 101, "credit")]
    with pytest.raises(E.PostExceedsPending) as err:
        await book.ledger.post(book.institution_id, PostPending(hold.transaction_id, postings=too_much))
    assert (err.value.details["pending"], err.value.details["requested"], err.value.details["currency"]) == ("1.00", "1.01", "USD")


async def test_void_releases_the_hold(book):
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 1_000)
    hold = await book.post("merchant_usd", "bank_usd", 900, pending=True)
    assert (await L.post(inst, VoidPending(hold.transaction_id, "v1"))).ok
    bal = await L.balance(inst, book["merchant_usd"])
    assert (bal.posted, bal.pending_debits, bal.available) == (1_000, 0, 1_000)
    with pytest.raises(E.PendingNotOpen):
        await L.post(inst, PostPending(hold.transaction_id))


async def test_pending_transactions_expire_by_themselves(book):
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 1_000)
    soon = datetime.now(UTC) + timedelta(seconds=30)
    hold = await book.post("merchant_usd", "bank_usd", 800, pending=True, expires_at=soon)
    assert await L.expire_pending(now=datetime.now(UTC)) == 0
    later = soon + timedelta(seconds=1)
    assert await L.expire_pending(now=later) == 1
    assert await L.expire_pending(now=later) == 0
    bal = await L.balance(inst, book["merchant_usd"])
    assert (bal.posted, bal.pending_debits) == (1_000, 0)
    assert (await L.get_transaction(inst, hold.transaction_id)).pending_state == "expired"


async def test_an_expired_pending_cannot_be_posted(book):
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 1_000)
    hold = await book.post("merchant_usd", "bank_usd", 10, pending=True, expires_at=datetime.now(UTC) + timedelta(milliseconds=300))
    await asyncio.sleep(0.4)
    with pytest.raises(E.PendingExpired):
        await L.post(inst, PostPending(hold.transaction_id))


async def test_reversal_references_the_original_and_happens_once(book):
    L, inst = book.ledger, book.institution_id
    original = await book.post("bank_usd", "equity_usd", 5_000, key="cap")
    rev = await L.post(inst, Reverse(original.transaction_id, "rev-1", description="entered twice"))
    assert (await L.balance(inst, book["bank_usd"])).posted == 0
    view = await L.get_transaction(inst, rev.transaction_id)
    assert view.kind == "reversal" and view.reverses_id == original.transaction_id
    assert [p.amount for p in view.postings] == [-5_000, 5_000]
    assert (await L.get_transaction(inst, original.transaction_id)).reversed_by == rev.transaction_id
    with pytest.raises(E.AlreadyReversed):
        await L.post(inst, Reverse(original.transaction_id, "rev-2"))
    with pytest.raises(E.NotReversible):
        await L.post(inst, Reverse(rev.transaction_id, "rev-3"))


async def test_reversal_respects_balance_flags(book):
    dep = await book.post("bank_usd", "merchant_usd", 1_000)
    await book.post("merchant_usd", "bank_usd", 900)
    with pytest.raises(E.InsufficientFunds):
        await book.ledger.post(book.institution_id, Reverse(dep.transaction_id, "rev"))


async def test_batch_reports_one_result_per_item(book):
    await book.post("bank_usd", "merchant_usd", 100)
    items = [
        book.tx("merchant_usd", "bank_usd", 60),
        book.tx("merchant_usd", "bank_usd", 60),  # only 40 left
        NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 5, "debit")]),
        book.tx("bank_usd", "merchant_usd", 10),
    ]
    res = await book.ledger.post_batch(book.institution_id, items)
    assert [r.code for r in res] == ["ok", "insufficient_funds", "too_few_postings", "ok"]
    assert res[1].error.details["available"] == "0.40" and res[1].error.details["currency"] == "USD"
    assert (await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted == 50


async def test_linked_chain_is_all_or_nothing(book):
    await book.post("bank_usd", "merchant_usd", 100)
    items = [
        book.tx("merchant_usd", "bank_usd", 30, linked=True),
        book.tx("merchant_usd", "fees", 30, linked=True),
        book.tx("merchant_usd", "bank_usd", 50),  # fails: only 40 left after the first two
        book.tx("bank_usd", "merchant_usd", 7),  # not in the chain
    ]
    res = await book.ledger.post_batch(book.institution_id, items)
    assert [r.code for r in res] == ["linked_transaction_failed", "linked_transaction_failed", "insufficient_funds", "ok"]
    assert res[0].error.details["failed_index"] == 2
    assert (await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted == 107
    assert (await book.ledger.balance(book.institution_id, book["fees"])).posted == 0
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert report.ok, report.problem
    assert report.transactions_checked == 2


async def test_open_linked_chain_at_end_of_batch_is_refused(book):
    res = await book.ledger.post_batch(book.institution_id, [book.tx("bank_usd", "equity_usd", 1, linked=True)])
    assert res[0].code == "invalid_input"


async def test_oversized_batch_is_refused_whole(book, settings):
    items = [book.tx("bank_usd", "equity_usd", 1) for _ in range(settings.max_batch_size + 1)]
    with pytest.raises(E.BatchTooLarge) as err:
        await book.ledger.post_batch(book.institution_id, items)
    assert err.value.details == {"size": 8001, "limit": 8000}


async def test_batch_can_post_a_pending_created_earlier_in_the_same_batch(book):
    from ledger.ids import uuid7

    hold_id = uuid7()
    await book.post("bank_usd", "merchant_usd", 500)
    items = [book.tx("merchant_usd", "bank_usd", 200, pending=True), book.tx("merchant_usd", "bank_usd", 200, pending=True)]
    items[0].id = hold_id
    items.append(PostPending(hold_id, "post-in-batch"))
    res = await book.ledger.post_batch(book.institution_id, items)
    assert [r.code for r in res] == ["ok", "ok", "ok"]
    bal = await book.ledger.balance(book.institution_id, book["merchant_usd"])
    assert (bal.posted, bal.pending_debits) == (300, 200)


async def test_effective_date_is_separate_from_recorded_time(book):
    L, inst = book.ledger, book.institution_id
    before_any = datetime.now(UTC)
    await book.post("bank_usd", "equity_usd", 100, effective_date=date(2026, 1, 10))
    await book.post("bank_usd", "equity_usd", 200, effective_date=date(2026, 1, 20))
    mid = datetime.now(UTC)
    await asyncio.sleep(0.01)
    await book.post("bank_usd", "equity_usd", 400, effective_date=date(2026, 1, 5))  # back-valued
    assert (await L.balance(inst, book["bank_usd"], as_of_date=date(2026, 1, 4))).posted == 0
    assert (await L.balance(inst, book["bank_usd"], as_of_date=date(2026, 1, 5))).posted == 400
    assert (await L.balance(inst, book["bank_usd"], as_of_date=date(2026, 1, 15))).posted == 500
    assert (await L.balance(inst, book["bank_usd"], as_of_date=date(2026, 1, 31))).posted == 700
    assert (await L.balance(inst, book["bank_usd"], as_of_recorded=before_any)).posted == 0
    assert (await L.balance(inst, book["bank_usd"], as_of_recorded=mid)).posted == 300
    assert (await L.balance(inst, book["equity_usd"], as_of_recorded=mid)).posted == 300
    tb = await L.trial_balance(inst, book.ledger_id, as_of_date=date(2026, 1, 15))
    assert tb.totals["USD"] == (500, 500)


async def test_statement_pages_with_running_balance(book):
    L, inst = book.ledger, book.institution_id
    for n in range(1, 8):
        await book.post("bank_usd", "merchant_usd", n * 100)
    await book.post("merchant_usd", "bank_usd", 50, pending=True)
    seen, cursor = [], None
    while True:
        page = await L.statement(inst, book["merchant_usd"], cursor=cursor, limit=3)
        seen.extend(page.lines)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert [line.balance_after for line in seen] == [100, 300, 600, 1000, 1500, 2100, 2800]
    assert [line.amount for line in seen] == [-100 * n for n in range(1, 8)]
    with_pending = await L.statement(inst, book["merchant_usd"], limit=100, include_pending=True)
    assert with_pending.lines[-1].phase == "hold" and with_pending.lines[-1].balance_after == 2800
    with pytest.raises(E.InvalidInput):
        await L.statement(inst, book["merchant_usd"], cursor="not-a-cursor!")


async def test_trial_balance_nets_to_zero_per_currency(book):
    await book.post("bank_usd", "merchant_usd", 9_000)
    await book.post("merchant_usd", "fees", 150)
    await book.post("bank_cny", "merchant_cny", 64_000)
    tb = await book.ledger.trial_balance(book.institution_id, book.ledger_id)
    assert tb.totals == {"USD": (9_150, 9_150), "CNY": (64_000, 64_000)}


async def test_balances_aggregate_over_accounts_selected_by_metadata(book):
    await book.post("bank_usd", "merchant_usd", 1_000)
    await book.post("bank_cny", "merchant_cny", 7_000)
    await book.post("bank_usd", "equity_usd", 5)
    agg = await book.ledger.aggregate_balances(book.institution_id, metadata={"merchant": "m1"})
    assert agg["USD"]["credits_posted"] == 1_000 and agg["USD"]["accounts"] == 1
    assert agg["CNY"]["credits_posted"] == 7_000
    assert await book.ledger.aggregate_balances(book.institution_id, metadata={"merchant": "nobody"}) == {}


async def test_database_refuses_an_unbalanced_transaction_written_directly(book, engine):
    """The balance rule is enforced by the database too, whatever path writes."""
    from ledger.ids import uuid7

    now = datetime.now(UTC)
    tx_id = uuid7()
    common = dict(institution_id=book.institution_id, ledger_id=book.ledger_id, effective_date=now.date(), recorded_at=now)
    with pytest.raises(Exception) as err:
        async with engine.begin() as conn:
            await conn.execute(
                postings.insert(),
                [
                    dict(transaction_id=tx_id, line_no=0, account_id=book["bank_usd"], currency="USD", amount=100, phase="posted", account_version=1, balance_after=100, **common),
                    dict(transaction_id=tx_id, line_no=1, account_id=book["equity_usd"], currency="USD", amount=-99, phase="posted", account_version=1, balance_after=-99, **common),
                ],
            )
            await conn.execute(
                transactions.insert().values(
                    id=tx_id, seq=1, kind="standard", description="", metadata={}, idempotency_key="x", prev_hash="0" * 64, hash="0" * 64,
                    **{k: v for k, v in common.items() if k != "effective_date"}, effective_date=now.date(),
                )
            )
    assert "unbalanced" in str(err.value).lower()
    async with engine.connect() as conn:
        assert (await conn.execute(select(transactions.c.id))).first() is None


async def test_database_refuses_postings_added_to_a_recorded_transaction(book, engine):
    res = await book.post("bank_usd", "equity_usd", 100)
    now = datetime.now(UTC)
    with pytest.raises(Exception) as err:
        async with engine.begin() as conn:
            await conn.execute(
                postings.insert().values(
                    transaction_id=res.transaction_id, line_no=5, institution_id=book.institution_id, ledger_id=book.ledger_id,
                    account_id=book["bank_usd"], currency="USD", amount=1, phase="posted", account_version=99, balance_after=0,
                    effective_date=now.date(), recorded_at=now,
                )
            )
    assert "recorded transaction" in str(err.value)


async def test_database_refuses_updates_and_deletes_of_the_journal(book, engine):
    res = await book.post("bank_usd", "equity_usd", 100)
    for stmt in (
        text("UPDATE postings SET amount = amount * 2"),
        text("DELETE FROM postings"),
        text("UPDATE transactions SET description = 'x'"),
        text("DELETE FROM transactions"),
    ):
        with pytest.raises(Exception) as err:
            async with engine.begin() as conn:
                await conn.execute(stmt)
        assert "immutable" in str(err.value)
    view = await book.ledger.get_transaction(book.institution_id, res.transaction_id)
    assert [p.amount for p in view.postings] == [100, -100]


async def test_database_check_keeps_the_balance_flag(book, engine):
    from ledger.schema import accounts

    with pytest.raises(DBAPIError):
        async with engine.begin() as conn:
            await conn.execute(accounts.update().where(accounts.c.id == book["merchant_usd"]).values(debits_posted=1))


async def test_refusals_are_stored_for_replay(book, engine):
    with pytest.raises(E.InsufficientFunds):
        await book.post("merchant_usd", "bank_usd", 1, key="no-money")
    async with engine.connect() as conn:
        row = (await conn.execute(select(ledger_idempotency).where(ledger_idempotency.c.key == "no-money"))).one()
    assert row.transaction_id is None and row.error["code"] == "insufficient_funds"


async def test_account_codes_are_unique_within_a_ledger(ledger, book):
    with pytest.raises(E.DuplicateCode):
        await ledger.create_account(book.institution_id, book.ledger_id, "bank_usd", "USD", "asset")
    with pytest.raises(E.UnknownCurrency):
        await ledger.create_account(book.institution_id, book.ledger_id, "x", "ABC", "asset")
    with pytest.raises(E.InvalidInput):
        await ledger.create_account(book.institution_id, book.ledger_id, "y", "USD", "cash")


async def test_closing_an_account_with_a_hold_is_refused(ledger, book):
    await book.post("bank_usd", "merchant_usd", 100)
    await book.post("merchant_usd", "bank_usd", 10, pending=True)
    with pytest.raises(E.AccountHasPending):
        await ledger.set_account_closed(book.institution_id, book["merchant_usd"], True)
