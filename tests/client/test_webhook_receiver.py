"""The README's webhook receiver (``examples/webhook_receiver.py``, included
in the README verbatim) verifies real deliveries of our dispatcher with the
``standardwebhooks`` package: a transaction posted over the API becomes a
``transaction.posted`` event, signed and POSTed to the receiver on a local
HTTP server; a tampered body, a wrong secret, a stale timestamp or a malformed
signature header are refused with 400 (and a refused delivery stays pending
for a retry)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx

from api import webhooks as W
from api.netguard import NetPolicy
from ledger.config import Settings
from tests.api.conftest import app, client, tenant_a, transfer  # noqa: F401 - fixtures
from tests.client.conftest import load_example

ROOT = Path(__file__).resolve().parents[2]
#: the receiver listens on loopback: a private integration the deployment allow-lists
LOCAL = NetPolicy.from_settings(Settings(webhook_allow_private="127.0.0.1/32"))


class _Server:
    """The example's handler on ``ThreadingHTTPServer`` at 127.0.0.1:<free port>."""

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type] - set by serve()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(self, handler) -> None:
        self.httpd.RequestHandlerClass = handler
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_the_readme_shows_the_receiver_verbatim():
    code = (ROOT / "examples" / "webhook_receiver.py").read_text()
    assert f"```python\n{code}```" in (ROOT / "README.md").read_text()


async def test_the_receiver_verifies_a_real_delivery(app, client, tenant_a):
    receiver = load_example("webhook_receiver")
    ctx = app.state.ctx
    server = _Server()
    try:
        async with ctx.engine.begin() as conn:
            endpoint = await W.create_endpoint(conn, ctx.keyring, tenant_a.institution_id, server.url, ["transaction.*"], policy=LOCAL)
        secret = endpoint["secret"]
        assert secret.startswith("whsec_")
        received: list[dict] = []
        server.serve(receiver.make_handler(secret, received.append))

        r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "merchant", "125.50"), headers=tenant_a.h(**{"Idempotency-Key": f"wh-{uuid.uuid4()}"}))
        assert r.status_code == 201, r.text
        async with W.WebhookDispatcher(ctx.engine, ctx.keyring, policy=LOCAL) as dispatcher:
            assert await dispatcher.run_once() == 1
        assert len(received) == 1
        event = received[0]
        assert event["type"] == "transaction.posted" and event["institution_id"] == str(tenant_a.institution_id)
        assert event["data"]["transaction_id"] == r.json()["id"]
        async with ctx.engine.connect() as conn:
            (delivery,) = await W.list_deliveries(conn, tenant_a.institution_id, endpoint_id=endpoint["id"])
        assert delivery["status"] == "delivered" and delivery["event_id"] == uuid.UUID(event["id"]) and delivery["last_status_code"] == 204

        # what the dispatcher signs, the package verifies; anything else is refused
        body = W.event_body(event["id"], event["type"], W._utc(delivery["created_at"]), tenant_a.institution_id, event["data"])
        now = int(time.time())

        def headers(ts: int = now, key: str = secret) -> dict[str, str]:
            return {"content-type": "application/json", "webhook-id": event["id"], "webhook-timestamp": str(ts), "webhook-signature": W.sign(key, event["id"], ts, body)}

        async with httpx.AsyncClient(timeout=10) as http:
            ok = await http.post(server.url, content=body, headers=headers())
            assert ok.status_code == 204 and len(received) == 2 and received[1] == json.loads(body)
            tampered = body.replace(b"transaction.posted", b"transaction.postex")
            assert (await http.post(server.url, content=tampered, headers=headers())).status_code == 400
            assert (await http.post(server.url, content=body, headers=headers(key=W.new_secret()))).status_code == 400
            assert (await http.post(server.url, content=body, headers=headers(ts=now - 600))).status_code == 400
            assert (await http.post(server.url, content=body, headers={**headers(), "webhook-id": "another-id"})).status_code == 400
            assert (await http.post(server.url, content=body, headers={**headers(), "webhook-signature": "v1"})).status_code == 400
            assert (await http.post(server.url, content=body, headers={**headers(), "webhook-signature": "v1,@@@"})).status_code == 400
            assert (await http.post(server.url, content=body, headers={"content-type": "application/json"})).status_code == 400
        assert len(received) == 2

        # a receiver holding another secret refuses the real delivery: it stays pending, to be retried
        server.httpd.RequestHandlerClass = receiver.make_handler(W.new_secret(), received.append)
        r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "merchant", "1.00"), headers=tenant_a.h(**{"Idempotency-Key": f"wh-{uuid.uuid4()}"}))
        assert r.status_code == 201, r.text
        async with W.WebhookDispatcher(ctx.engine, ctx.keyring, policy=LOCAL) as dispatcher:
            assert await dispatcher.run_once() == 1
        async with ctx.engine.connect() as conn:
            refused = [d for d in await W.list_deliveries(conn, tenant_a.institution_id, endpoint_id=endpoint["id"]) if d["status"] != "delivered"]
        assert len(refused) == 1 and refused[0]["status"] == "pending" and refused[0]["last_status_code"] == 400
        assert len(received) == 2
    finally:
        await asyncio.to_thread(server.close)
