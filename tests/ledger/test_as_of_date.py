"""Balances as of a value date come from running totals by value date
(``account_day_balances.cum_*``): they must equal a recomputation from the
postings, back-dated postings, batches spanning several dates, pending
holds and their posting, reversals included."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select

from ledger.model import NewTransaction, Posting, PostPending, Reverse
from ledger.schema import account_day_balances, postings

BASE = date(2026, 3, 1)
CODES = ("bank_usd", "merchant_usd", "merchant2_usd", "fees", "equity_usd")


async def _from_postings(engine, account_id, as_of: date) -> tuple[int, int]:
    """Debits and credits posted to the account with value dates up to ``as_of``."""
    p = postings.c
    q = select(
        func.coalesce(func.sum(case((p.amount > 0, p.amount), else_=0)), 0),
        func.coalesce(func.sum(case((p.amount < 0, -p.amount), else_=0)), 0),
    ).where(p.account_id == account_id, p.phase == "posted", p.effective_date <= as_of)
    async with engine.connect() as conn:
        row = (await conn.execute(q)).one()
    return int(row[0]), int(row[1])


async def _check_all_dates(book, first: date, last: date) -> int:
    L, inst = book.ledger, book.institution_id
    checked = 0
    day = first
    while day <= last:
        tb = await L.trial_balance(inst, book.ledger_id, as_of_date=day)
        by_id = {line.account_id: line for line in tb.lines}
        total_d = total_c = 0
        for code in CODES:
            want = await _from_postings(L.engine, book[code], day)
            line = by_id[book[code]]
            assert (line.debits, line.credits) == want, (code, day)
            bal = await L.balance(inst, book[code], as_of_date=day)
            assert (bal.debits_posted, bal.credits_posted) == want, (code, day)
            total_d, total_c = total_d + want[0], total_c + want[1]
            checked += 1
        assert tb.totals["USD"] == (total_d, total_c)
        day += timedelta(days=1)
    return checked


async def test_as_of_date_equals_postings_with_back_dated_batches(book):
    rng = random.Random(1405)
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "equity_usd", 1_000_000, effective_date=BASE)
    # forward in time, single postings and batches over several dates
    for n in range(1, 8):
        await book.post("bank_usd", "merchant_usd", 100 * n, effective_date=BASE + timedelta(days=n))
    items = [
        book.tx(rng.choice(("bank_usd", "fees")), rng.choice(("merchant_usd", "merchant2_usd")), rng.randint(1, 500), effective_date=BASE + timedelta(days=rng.randint(6, 12)))
        for _ in range(40)
    ]
    assert all(r.ok for r in await L.post_batch(inst, items))
    # back-dated: a single posting before every existing day, one in the middle,
    # and a batch mixing back-dated and new dates for the same accounts
    await book.post("fees", "equity_usd", 77, effective_date=BASE - timedelta(days=2))
    await book.post("merchant_usd", "bank_usd", 55, effective_date=BASE + timedelta(days=3))
    mixed = [
        book.tx("bank_usd", "merchant2_usd", 11, effective_date=BASE + timedelta(days=1)),
        book.tx("bank_usd", "merchant2_usd", 13, effective_date=BASE + timedelta(days=14)),
        book.tx("merchant2_usd", "fees", 5, effective_date=BASE + timedelta(days=9)),
        book.tx("equity_usd", "bank_usd", 3, effective_date=BASE + timedelta(days=5)),
    ]
    assert all(r.ok for r in await L.post_batch(inst, mixed))
    # a hold moves no posted money until it is posted (dated in the past)
    hold = await book.post("bank_usd", "merchant_usd", 40, pending=True, effective_date=BASE + timedelta(days=2))
    assert (await L.post(inst, PostPending(hold.transaction_id, "post-hold", effective_date=BASE + timedelta(days=4)))).ok
    # a reversal dated back
    victim = await book.post("fees", "merchant_usd", 21, effective_date=BASE + timedelta(days=10))
    assert (await L.post(inst, Reverse(victim.transaction_id, "rev-1", effective_date=BASE + timedelta(days=6)))).ok
    checked = await _check_all_dates(book, BASE - timedelta(days=3), BASE + timedelta(days=15))
    assert checked == 19 * len(CODES)
    # the running totals of every account's last day are its current totals
    for code in CODES:
        acct = await L.get_account(inst, book[code])
        async with L.engine.connect() as conn:
            last = (
                await conn.execute(
                    select(account_day_balances.c.cum_debits, account_day_balances.c.cum_credits)
                    .where(account_day_balances.c.account_id == book[code])
                    .order_by(account_day_balances.c.day.desc())
                    .limit(1)
                )
            ).one()
            assert tuple(last) == (acct.debits_posted, acct.credits_posted)


async def test_as_of_date_before_any_posting_and_with_a_linked_chain_refused(book):
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "equity_usd", 500, effective_date=BASE + timedelta(days=5))
    # a refused linked chain (the merchant may not go negative) writes no running totals
    chain = [
        NewTransaction(book.ledger_id, [Posting(book["bank_usd"], 5, "debit"), Posting(book["equity_usd"], 5, "credit")], effective_date=BASE, linked=True),
        NewTransaction(book.ledger_id, [Posting(book["merchant_usd"], 9, "debit"), Posting(book["bank_usd"], 9, "credit")], effective_date=BASE),
    ]
    res = await L.post_batch(inst, chain)
    assert [r.ok for r in res] == [False, False]
    assert (await L.balance(inst, book["bank_usd"], as_of_date=BASE + timedelta(days=4))).posted == 0
    assert (await L.balance(inst, book["bank_usd"], as_of_date=BASE + timedelta(days=5))).posted == 500
    await _check_all_dates(book, BASE - timedelta(days=1), BASE + timedelta(days=6))


async def test_balance_as_of_recorded_instant_searches_versions(book):
    """The balance as of a recorded instant (binary search over the account's
    versions) at every instant between 23 postings, holds included."""
    L, inst = book.ledger, book.institution_id
    marks = [(datetime.now(UTC), 0)]
    posted = 0
    for n in range(1, 24):
        if n % 5 == 0:
            await book.post("bank_usd", "equity_usd", n, pending=True)  # a hold: versions move, posted does not
        else:
            items = [book.tx("bank_usd", "equity_usd", n), book.tx("equity_usd", "bank_usd", 1)] if n % 3 == 0 else [book.tx("bank_usd", "equity_usd", n)]
            assert all(r.ok for r in await L.post_batch(inst, items))
            posted += n - (1 if n % 3 == 0 else 0)
        marks.append((datetime.now(UTC), posted))
    for instant, want in marks:
        assert (await L.balance(inst, book["bank_usd"], as_of_recorded=instant)).posted == want
        assert (await L.balance(inst, book["equity_usd"], as_of_recorded=instant)).posted == want
