"""Settlement looks up its ledger and account ids by code once per process
(#14): a code names one ledger or account for ever, so the second receipt of
a customer asks the database for none of them, and the memory is bounded."""

from __future__ import annotations

from sqlalchemy import event

from settlement import accounts as A
from settlement.receipts import ReceiptIn


def _receipt(customer_id, gross: int, ref: str) -> ReceiptIn:
    return ReceiptIn(customer_id=customer_id, currency="USD", gross_minor=gross, net_minor=gross, customs_mode="9610", destination_country="DE", external_ref=ref)


async def test_the_second_receipt_looks_up_no_account_or_ledger_by_code(stl, bank):
    from .helpers import merchant

    m = await merchant(stl, bank, fx_class="A")
    first = await stl.receipts.post_receipt(bank, _receipt(m.id, 1_000, "k1"))
    lookups: list[str] = []

    def seen(_conn, _cursor, statement: str, *_args) -> None:
        flat = " ".join(statement.split())
        if ("FROM accounts" in flat or "FROM ledgers" in flat) and ".code =" in flat:
            lookups.append(flat)

    event.listen(stl.ledger.engine.sync_engine, "before_cursor_execute", seen)
    try:
        second = await stl.receipts.post_receipt(bank, _receipt(m.id, 2_000, "k2"))
    finally:
        event.remove(stl.ledger.engine.sync_engine, "before_cursor_execute", seen)
    assert first["status"] == second["status"] == "credited"
    assert lookups == []
    # the ids are the accounts the receipts were posted to
    current = await A.customer_account(stl.ledger, bank, m.id, "current", "USD")
    assert (await stl.ledger.balance(bank, current)).posted == 3_000
    found = await stl.ledger.find_account(bank, await A.settlement_ledger_id(stl.ledger, bank), A.customer_account_code(m.id, "current", "USD"))
    assert found is not None and found.id == current


async def test_the_memory_of_ids_is_bounded(stl, bank, monkeypatch):
    monkeypatch.setattr(A, "KNOWN_IDS_MAX", 3)
    ids = [await A.institution_account(stl.ledger, bank, kind, "USD") for kind in ("nostro", "fx-position", "central", "fee-income")]
    known = A._KNOWN[stl.ledger]
    assert len(known) == 3  # the settlement ledger's id and the oldest account were forgotten, the newest kept
    assert list(known.values())[-1] == ids[-1]
    # forgotten ids are looked up again and are the same
    assert [await A.institution_account(stl.ledger, bank, kind, "USD") for kind in ("nostro", "fx-position", "central", "fee-income")] == ids
