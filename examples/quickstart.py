"""Quickstart with the typed client (``clients/python``): a ledger, two
accounts, a transaction posted with an Idempotency-Key (and retried: the same
transaction comes back), a customer and an inbound receipt, then the ledger's
transactions read page by page.

    pip install -e clients/python
    XBORDER_URL=http://127.0.0.1:8000 XBORDER_API_KEY=xb_... python examples/quickstart.py

The operation modules are named after the API's operation ids; the table of
every operation is ``clients/python/OPERATIONS.md``.
"""

from __future__ import annotations

import os
import uuid
from typing import Any, TypeVar

from xborder_client import AuthenticatedClient
from xborder_client.api.customers import customers_create as open_customer
from xborder_client.api.ledger import accounts_create as create_account
from xborder_client.api.ledger import ledgers_create as create_ledger
from xborder_client.api.ledger import transactions_create as post_transaction
from xborder_client.api.ledger import transactions_list as list_transactions
from xborder_client.api.settlement import receipts_create as post_receipt
from xborder_client.models import AccountIn, CustomerIn, LedgerIn, PostingIn, Problem, ReceiptBody, TransactionIn
from xborder_client.types import Response

T = TypeVar("T")


class ApiError(RuntimeError):
    """An answer other than the one expected (the problem document attached)."""


def expect(response: Response[T | Problem], status: int) -> T:
    """The parsed body of ``response`` if its status is ``status`` (an error
    answer is an RFC 9457 ``Problem``: raised with its text)."""
    parsed = response.parsed
    if response.status_code != status or parsed is None or isinstance(parsed, Problem):
        raise ApiError(f"HTTP {int(response.status_code)}: {response.content.decode(errors='replace')}")
    return parsed


def quickstart(client: AuthenticatedClient, *, suffix: str | None = None) -> dict[str, Any]:
    """Run the flow on ``client``; returns what it created (ids as strings)."""
    suffix = suffix or uuid.uuid4().hex[:8]
    # every POST that creates something takes an Idempotency-Key: one key per
    # operation, sent again only by a retry of that operation
    prefix = f"quickstart-{suffix}"
    ledger = expect(create_ledger.sync_detailed(client=client, body=LedgerIn(code=f"quickstart-{suffix}", name="Quickstart"), idempotency_key=f"{prefix}-ledger"), 201)
    bank = expect(create_account.sync_detailed(ledger.id, client=client, body=AccountIn(code="bank", currency="USD", type_="asset"), idempotency_key=f"{prefix}-account-bank"), 201)
    merchant = expect(
        create_account.sync_detailed(ledger.id, client=client, body=AccountIn(code="merchant", currency="USD", type_="liability"), idempotency_key=f"{prefix}-account-merchant"), 201
    )

    # money is a decimal string with the currency's decimals ("125.50" USD)
    transfer = TransactionIn(
        postings=[
            PostingIn(account_id=bank.id, side="debit", amount="125.50", currency="USD"),
            PostingIn(account_id=merchant.id, side="credit", amount="125.50", currency="USD"),
        ],
        description="first transfer",
    )
    key = f"{prefix}-tx-1"
    tx = expect(post_transaction.sync_detailed(ledger.id, client=client, body=transfer, idempotency_key=key), 201)
    retry = post_transaction.sync_detailed(ledger.id, client=client, body=transfer, idempotency_key=key)
    replayed = expect(retry, 201)
    if replayed.id != tx.id or retry.headers.get("Idempotent-Replayed") != "true":
        raise ApiError(f"the retry posted again: {replayed.id} != {tx.id}")
    for n in (2, 3):
        expect(post_transaction.sync_detailed(ledger.id, client=client, body=transfer, idempotency_key=f"{prefix}-tx-{n}"), 201)

    # an inbound cross-border receipt for a class-A enterprise customer
    customer = expect(
        open_customer.sync_detailed(
            client=client,
            body=CustomerIn(ref=f"M-{suffix}", kind="enterprise", name="Shenzhen Export Ltd", fx_class="A", directory_registered=True),
            idempotency_key=f"{prefix}-customer",
        ),
        201,
    )
    receipt = expect(
        post_receipt.sync_detailed(
            client=client,
            body=ReceiptBody(customer_id=customer.id, currency="USD", gross="1000.00", net="1000.00", customs_mode="9610", destination_country="DE"),
            idempotency_key=f"{prefix}-receipt",
        ),
        201,
    )

    # every transaction of the ledger, one per page: a list answers
    # {"data": [...], "has_more": bool, "next_cursor": str | null}
    # (the cursor of the first page is None: an absent parameter)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = expect(list_transactions.sync_detailed(ledger.id, client=client, limit=1, cursor=cursor), 200)
        seen.extend(str(t.id) for t in page.data)
        if not page.has_more:
            break
        cursor = page.next_cursor
    return {
        "ledger_id": str(ledger.id), "accounts": [str(bank.id), str(merchant.id)], "transaction_id": str(tx.id),
        "customer_id": str(customer.id), "receipt": receipt.to_dict(), "transactions": seen,
    }


def main() -> None:
    client = AuthenticatedClient(base_url=os.environ.get("XBORDER_URL", "http://127.0.0.1:8000"), token=os.environ["XBORDER_API_KEY"], raise_on_unexpected_status=False)
    with client:
        result = quickstart(client)
    print(f"ledger {result['ledger_id']}: transaction {result['transaction_id']} posted once, {len(result['transactions'])} transactions listed")
    print(f"receipt {result['receipt']['id']}: {result['receipt']['gross']} {result['receipt']['currency']} ({result['receipt']['status']})")


if __name__ == "__main__":
    main()
