"""Test data builders: an institution with a ledger and a few accounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from ledger.model import NewTransaction, Posting
from ledger.service import Ledger


@dataclass
class Book:
    ledger: Ledger
    institution_id: UUID
    ledger_id: UUID
    accounts: dict[str, UUID] = field(default_factory=dict)

    def __getitem__(self, code: str) -> UUID:
        return self.accounts[code]

    def tx(self, debit: str, credit: str, amount: int, *, key: str | None = None, **kw) -> NewTransaction:
        """A two-leg transaction: ``amount`` from ``credit`` to ``debit``."""
        return NewTransaction(
            self.ledger_id,
            [Posting(self.accounts[debit], amount, "debit"), Posting(self.accounts[credit], amount, "credit")],
            idempotency_key=key,
            **kw,
        )

    async def post(self, debit: str, credit: str, amount: int, *, key: str | None = None, **kw):
        return await self.ledger.post(self.institution_id, self.tx(debit, credit, amount, key=key, **kw))


_n = 0


async def make_book(ledger: Ledger, code: str | None = None) -> Book:
    """Accounts: ``bank_usd`` (asset), ``merchant_usd`` (liability, may not go
    negative), ``fees`` (income), ``bank_cny`` (asset), ``merchant_cny``
    (liability, may not go negative), ``equity_usd``."""
    global _n
    _n += 1
    code = code or f"inst{_n}"
    inst = await ledger.create_institution(code, f"Institution {code}")
    led = await ledger.create_ledger(inst.id, "main")
    book = Book(ledger, inst.id, led.id)
    specs = [
        ("bank_usd", "USD", "asset", {}),
        ("merchant_usd", "USD", "liability", {"debits_must_not_exceed_credits": True}),
        ("merchant2_usd", "USD", "liability", {"debits_must_not_exceed_credits": True}),
        ("fees", "USD", "income", {}),
        ("equity_usd", "USD", "equity", {}),
        ("bank_cny", "CNY", "asset", {}),
        ("merchant_cny", "CNY", "liability", {"debits_must_not_exceed_credits": True}),
    ]
    for acode, cur, typ, flags in specs:
        acct = await ledger.create_account(
            inst.id, led.id, acode, cur, typ, owner_ref="m1" if acode.startswith("merchant_") else None,
            metadata={"merchant": "m1"} if acode.startswith("merchant_") else {}, **flags,
        )
        book.accounts[acode] = acct.id
    return book
