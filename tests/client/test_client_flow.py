"""The quickstart (``examples/quickstart.py``) through the generated client
against a live server -- uvicorn on a loopback port, real HTTP -- on SQLite
and PostgreSQL: a ledger, two accounts, a transaction with an
Idempotency-Key and its retry (the same transaction, posted once), a customer
and a receipt, and the ledger's transactions walked one per page."""

from __future__ import annotations

from typing import Any

import httpx

from api.auth import issue_api_key
from api.scopes import ALL_SCOPES
from tests.api.test_uvicorn import LiveServer
from tests.client.conftest import load_example


async def _institution(app) -> str:
    """A new institution and its system API key (what an operator hands a bank)."""
    ctx = app.state.ctx
    inst = await ctx.ledger.create_institution("client-bank", "Client Bank")
    async with ctx.engine.begin() as conn:
        issued = await issue_api_key(conn, ctx.keyring, inst.id, name="quickstart", scopes=ALL_SCOPES)
    return issued["key"]


def test_the_quickstart_through_the_generated_client(db_url, settings):
    from xborder_client import AuthenticatedClient

    quickstart = load_example("quickstart")
    with LiveServer(settings, db_url) as live:
        key = live.run(_institution(live.app))
        client = AuthenticatedClient(base_url=live.base_url, token=key, raise_on_unexpected_status=False, timeout=httpx.Timeout(30.0))
        with client:
            out: dict[str, Any] = quickstart.quickstart(client, suffix="t1")
            # without credentials the server refuses, and the client says so
            anonymous = quickstart.AuthenticatedClient(base_url=live.base_url, token="xb_wrong", raise_on_unexpected_status=False)
            with anonymous:
                try:
                    quickstart.quickstart(anonymous, suffix="t2")
                except quickstart.ApiError as exc:
                    assert str(exc).startswith("HTTP 401"), exc
                else:
                    raise AssertionError("a wrong key was accepted")

    # three transfers, the first one retried: each listed exactly once, in order
    assert len(out["transactions"]) == 3 and len(set(out["transactions"])) == 3
    assert out["transactions"][0] == out["transaction_id"]
    receipt = out["receipt"]
    assert (receipt["customer_id"], receipt["currency"], receipt["gross"], receipt["net"]) == (out["customer_id"], "USD", "1000.00", "1000.00")
    assert receipt["status"] == "credited" and receipt["external_ref"] == "quickstart-t1-receipt"
