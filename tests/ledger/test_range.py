"""Range-safe money (issue #13 item 2), on SQLite and PostgreSQL.

One posting is at most ``MAX_AMOUNT_MINOR``; an account's debit and credit
totals (posted and pending) at most ``MAX_BALANCE_MINOR``.  A posting that
would pass either is refused with :class:`AmountOutOfRange` before anything
is written, by the library itself (single postings, batches, holds, posting
a hold).  Reads sum exactly, even over totals written before the limits
existed (SQLite's ``SUM`` overflows past 2**63).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from ledger import errors as E
from ledger.model import NewTransaction, Posting, PostPending
from ledger.money import MAX_AMOUNT_MINOR, MAX_BALANCE_MINOR
from ledger.posting import post_batch
from ledger.schema import accounts


async def _jpy(book, *codes: str) -> None:
    for code in codes:
        acct = await book.ledger.create_account(book.institution_id, book.ledger_id, code, "JPY", "asset" if code.startswith("cash") else "liability", owner_ref="big")
        book.accounts[code] = acct.id


async def _nothing_written(book, seq: int) -> None:
    assert (await book.ledger.get_ledger(book.institution_id, book.ledger_id)).chain_seq == seq


async def test_the_issue_case_jpy_999999999999999999_is_refused_by_the_library(book):
    await _jpy(book, "cash_jpy", "shop_jpy")
    with pytest.raises(E.AmountOutOfRange) as err:
        await book.post("cash_jpy", "shop_jpy", 999_999_999_999_999_999)
    assert err.value.status == 422 and err.value.code == "amount_out_of_range"
    assert err.value.details == {"field": "postings[0].amount", "amount": "999999999999999999", "currency": "", "maximum": "999999999999999"}
    await _nothing_written(book, 0)
    # with the currency named on the posting, the details name it
    tx = NewTransaction(book.ledger_id, [Posting(book["cash_jpy"], MAX_AMOUNT_MINOR + 1, "debit", "JPY"), Posting(book["shop_jpy"], MAX_AMOUNT_MINOR + 1, "credit", "JPY")])
    with pytest.raises(E.AmountOutOfRange) as err:
        await book.ledger.post(book.institution_id, tx)
    assert (err.value.details["currency"], err.value.details["maximum"]) == ("JPY", "999999999999999")
    # the largest amount posts, and 200 more on top of it too: reads stay exact
    assert (await book.post("cash_jpy", "shop_jpy", MAX_AMOUNT_MINOR)).ok
    assert (await book.post("cash_jpy", "shop_jpy", 200)).ok
    acct = await book.ledger.get_account(book.institution_id, book["cash_jpy"])
    assert (acct.debits_posted, acct.posted) == (MAX_AMOUNT_MINOR + 200, MAX_AMOUNT_MINOR + 200)
    tb = await book.ledger.trial_balance(book.institution_id, book.ledger_id)
    assert tb.totals["JPY"] == (MAX_AMOUNT_MINOR + 200, MAX_AMOUNT_MINOR + 200)


async def _fill(book, debit: str, credit: str, n: int, amount: int = MAX_AMOUNT_MINOR) -> None:
    """``n`` postings of ``amount`` in one batch (through the library)."""
    results = await book.ledger.post_batch(book.institution_id, [book.tx(debit, credit, amount) for _ in range(n)])
    assert all(r.ok for r in results)


async def test_a_posting_that_would_take_a_balance_out_of_range_is_refused(book):
    await _jpy(book, "cash_jpy", "shop_jpy")
    await _fill(book, "cash_jpy", "shop_jpy", 100)  # 100 x (10**15 - 1) = 10**17 - 100
    with pytest.raises(E.AmountOutOfRange) as err:
        await book.post("cash_jpy", "shop_jpy", 100)
    d = err.value.details
    assert (d["account"], d["total"], d["amount"], d["currency"], d["maximum"]) == (str(book["cash_jpy"]), "debits_posted", "100000000000000000", "JPY", str(MAX_BALANCE_MINOR))
    await _nothing_written(book, 100)
    # exactly the largest balance is accepted
    assert (await book.post("cash_jpy", "shop_jpy", 99)).ok
    acct = await book.ledger.get_account(book.institution_id, book["shop_jpy"])
    assert acct.credits_posted == MAX_BALANCE_MINOR and acct.posted == MAX_BALANCE_MINOR
    # money can still leave the account (the other side's total is what grows)
    assert (await book.post("shop_jpy", "cash_jpy", MAX_AMOUNT_MINOR)).ok


async def test_batches_refuse_the_item_that_would_overflow_and_keep_the_others(book, engine):
    await _jpy(book, "cash_jpy", "shop_jpy")
    items = [book.tx("cash_jpy", "shop_jpy", MAX_AMOUNT_MINOR) for _ in range(101)]
    results = await book.ledger.post_batch(book.institution_id, items)
    assert [r.code for r in results] == ["ok"] * 100 + ["amount_out_of_range"]
    assert isinstance(results[100].error, E.AmountOutOfRange)
    await _nothing_written(book, 100)
    # a linked chain is refused whole
    chain = [book.tx("shop_jpy", "cash_jpy", 5, linked=True), book.tx("cash_jpy", "shop_jpy", MAX_AMOUNT_MINOR)]
    assert [r.code for r in await book.ledger.post_batch(book.institution_id, chain)] == ["linked_transaction_failed", "amount_out_of_range"]
    await _nothing_written(book, 100)
    # the unit-of-work entry point refuses the same way (the caller's transaction)
    async with engine.begin() as conn:
        res = (await post_batch(conn, book.institution_id, [book.tx("cash_jpy", "shop_jpy", MAX_AMOUNT_MINOR)]))[0]
    assert res.code == "amount_out_of_range" and not res.ok
    await _nothing_written(book, 100)


async def test_holds_and_posting_a_hold_are_range_checked(book):
    await _jpy(book, "cash_jpy", "shop_jpy")
    await _fill(book, "cash_jpy", "shop_jpy", 100)
    await _fill(book, "cash_jpy", "shop_jpy", 1, amount=89)  # debits posted: the maximum less 10
    hold = await book.post("cash_jpy", "shop_jpy", 20, pending=True)
    assert hold.ok
    with pytest.raises(E.AmountOutOfRange) as err:  # posting the hold would take debits posted to max + 10
        await book.ledger.post(book.institution_id, PostPending(hold.transaction_id, "post-it"))
    assert err.value.details["total"] == "debits_posted"
    partial = [Posting(book["cash_jpy"], 10, "debit"), Posting(book["shop_jpy"], 10, "credit")]
    assert (await book.ledger.post(book.institution_id, PostPending(hold.transaction_id, "post-part", postings=partial))).ok
    acct = await book.ledger.get_account(book.institution_id, book["cash_jpy"])
    assert (acct.debits_posted, acct.debits_pending) == (MAX_BALANCE_MINOR, 0)
    # pending debits are a total of their own
    await _jpy(book, "cash2_jpy")
    holds = [book.tx("cash2_jpy", "shop_jpy", MAX_AMOUNT_MINOR, pending=True) for _ in range(101)]
    results = await book.ledger.post_batch(book.institution_id, holds)
    assert [r.code for r in results] == ["ok"] * 100 + ["amount_out_of_range"]
    assert results[100].error is not None and results[100].error.details["total"] == "debits_pending"


async def test_reads_sum_exactly_over_totals_past_64_bits(book, engine):
    """The issue's SQLite case: three accounts of 8 x 10**16 USD (8 x 10**18
    cents each) summed by owner.  Such totals can no longer be posted; they
    are written directly here, as data from before the limits."""
    big = 8 * 10**18
    async with engine.begin() as conn:
        for code in ("merchant_usd", "merchant2_usd", "bank_usd"):
            await conn.execute(update(accounts).where(accounts.c.id == book[code]).values(credits_posted=big, debits_posted=5))
        await conn.execute(update(accounts).where(accounts.c.id.in_([book["bank_usd"], book["merchant2_usd"]])).values(owner_ref="m1"))
    agg = await book.ledger.aggregate_balances(book.institution_id, ledger_id=book.ledger_id, owner_ref="m1")
    assert agg["USD"] == {"accounts": 3, "debits_posted": 15, "credits_posted": 3 * big, "debits_pending": 0, "credits_pending": 0}
    tb = await book.ledger.trial_balance(book.institution_id, book.ledger_id, as_of_date=date(2099, 1, 1))
    assert tb.totals["USD"] == (15, 3 * big)
    bal = await book.ledger.balance(book.institution_id, book["merchant_usd"], as_of_date=date(2099, 1, 1))
    assert bal.posted == big - 5
    assert (await book.ledger.get_account(book.institution_id, book["merchant_usd"])).posted == big - 5
