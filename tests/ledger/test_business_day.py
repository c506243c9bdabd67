"""The value date a posting takes when it names none is the business day in
China time (UTC+8), not the UTC day: at the year end, 16:00 UTC on 31
December is already 1 January.  Checked on both write paths (a small batch
and a large one, copied in steps on PostgreSQL) and through what reads the
per-day running totals (balance and trial balance as of a value date)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ledger.posting import LARGE_BATCH, post_batch

YEAR_END = date(2026, 12, 31)


@pytest.mark.parametrize("size", [2, LARGE_BATCH], ids=["small batch", "large batch"])
async def test_the_default_value_date_is_the_china_business_day_across_the_year_end(engine, ledger, book, size):
    inst = book.institution_id
    before = datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in China: still 31 December
    after = datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC)  # 00:00:00 in China: 1 January
    async with engine.begin() as conn:
        old = await post_batch(conn, inst, [book.tx("bank_usd", "equity_usd", 100) for _ in range(size)], now=before, views=True)
    async with engine.begin() as conn:
        new = await post_batch(conn, inst, [book.tx("bank_usd", "equity_usd", 7) for _ in range(size)], now=after, views=True)
    assert all(r.ok for r in old + new)
    assert {r.view.effective_date for r in old} == {YEAR_END}
    assert {r.view.effective_date for r in new} == {date(2027, 1, 1)}
    stored = await ledger.get_transaction(inst, new[-1].transaction_id)
    assert stored.effective_date == date(2027, 1, 1)

    at_year_end = await ledger.balance(inst, book["bank_usd"], as_of_date=YEAR_END)
    next_day = await ledger.balance(inst, book["bank_usd"], as_of_date=date(2027, 1, 1))
    assert at_year_end.posted == 100 * size
    assert next_day.posted == 107 * size
    tb = await ledger.trial_balance(inst, book.ledger_id, as_of_date=YEAR_END)
    assert tb.totals["USD"] == (100 * size, 100 * size)
    assert (await ledger.balance(inst, book["bank_usd"], as_of_date=date(2026, 12, 30))).posted == 0
