"""Tamper evidence: the hash chain names the first altered or missing
transaction; checkpoints are signed with Ed25519."""

from __future__ import annotations

from sqlalchemy import text


async def _tamper(engine, *statements):
    """Write behind the ledger's back, as someone with database access would:
    the immutability triggers are switched off first."""
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for trig in ("postings_immutable_update", "postings_immutable_delete", "transactions_immutable_update", "transactions_immutable_delete"):
                await conn.execute(text(f"DROP TRIGGER IF EXISTS {trig}"))
        for stmt, params in statements:
            await conn.execute(text(stmt), params)


def _uuid_param(engine, value):
    return value if engine.dialect.name == "postgresql" else value.hex


async def _history(book, n=6):
    ids = []
    for i in range(n):
        res = await book.post("bank_usd", "merchant_usd", 100 + i, key=f"t{i}")
        ids.append(res.transaction_id)
    return ids


async def test_untouched_chain_verifies(book):
    await _history(book)
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert report.ok and report.transactions_checked == 6 and report.head_seq == 6


async def test_altered_posting_is_named_by_verify(book, engine):
    ids = await _history(book)
    target = ids[3]
    await _tamper(
        engine,
        ("UPDATE postings SET amount = amount + 1 WHERE transaction_id = :t AND line_no = 0", {"t": _uuid_param(engine, target)}),
    )
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert not report.ok
    assert report.first_bad_transaction == target and report.first_bad_seq == 4
    assert "altered" in report.problem


async def test_altered_balance_is_reported(book, engine):
    await _history(book, 2)
    await _tamper(engine, ("UPDATE accounts SET credits_posted = credits_posted + 5 WHERE id = :a", {"a": _uuid_param(engine, book["merchant_usd"])}))
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert not report.ok and "merchant_usd" in report.problem


async def test_removed_transaction_is_named_by_verify(book, engine):
    ids = await _history(book)
    p = _uuid_param(engine, ids[2])
    await _tamper(
        engine,
        ("DELETE FROM postings WHERE transaction_id = :t", {"t": p}),
        ("DELETE FROM ledger_idempotency WHERE transaction_id = :t", {"t": p}),
        ("DELETE FROM transactions WHERE id = :t", {"t": p}),
    )
    report = await book.ledger.verify(book.institution_id, book.ledger_id, check_balances=False)
    assert not report.ok and report.first_bad_seq == 3 and "missing" in report.problem


async def test_removed_tail_is_detected_by_the_chain_head(book, engine):
    ids = await _history(book)
    p = _uuid_param(engine, ids[-1])
    await _tamper(engine, ("DELETE FROM postings WHERE transaction_id = :t", {"t": p}), ("DELETE FROM transactions WHERE id = :t", {"t": p}))
    report = await book.ledger.verify(book.institution_id, book.ledger_id, check_balances=False)
    assert not report.ok and report.first_bad_seq == 6


async def test_checkpoints_are_signed_and_checked(book, engine):
    await _history(book, 3)
    cp = await book.ledger.checkpoint(book.institution_id, book.ledger_id)
    assert cp["seq"] == 3 and cp["key_id"] == book.ledger.signer.key_id
    await _history_more(book)
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert report.ok and report.checkpoints_checked == 1
    await _tamper(engine, ("UPDATE chain_checkpoints SET seq = 2", {}))
    report = await book.ledger.verify(book.institution_id, book.ledger_id)
    assert not report.ok and "signature" in report.problem


async def _history_more(book):
    await book.post("bank_usd", "merchant_usd", 5, key="more")
