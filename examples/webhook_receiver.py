"""A webhook receiver that verifies xborder's signatures with the
``standardwebhooks`` package (pip install standardwebhooks), on the standard
library's HTTP server.

    XBORDER_WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py 8080

Register ``http://<host>:8080/`` with ``POST /v1/webhook-endpoints``; the
``secret`` in its answer (shown once) is the ``whsec_...`` value above.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MAX_BODY = 1024 * 1024


def verify(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The event if ``webhook-signature`` is ours for these exact bytes and
    ``webhook-timestamp`` is within 5 minutes; raises otherwise."""
    try:
        event: dict[str, Any] = Webhook(secret).verify(body, headers)
    except ValueError as exc:  # a malformed signature header or base64
        raise WebhookVerificationError(str(exc)) from exc
    return event


def make_handler(secret: str, on_event: Callable[[dict[str, Any]], None]) -> type[BaseHTTPRequestHandler]:
    """A request handler: 204 for a verified event (after ``on_event``), 400
    for anything not signed with ``secret``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_BODY:
                self.send_error(413)
                return
            body = self.rfile.read(length)
            try:
                event = verify(secret, dict(self.headers.items()), body)
            except WebhookVerificationError:
                self.send_error(400, "invalid signature")
                return
            # delivery is at least once: de-duplicate on event["id"] (= webhook-id)
            on_event(event)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handler


def print_event(event: dict[str, Any]) -> None:
    print(event["id"], event["type"], json.dumps(event["data"], sort_keys=True), flush=True)


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    server = ThreadingHTTPServer(("0.0.0.0", port), make_handler(os.environ["XBORDER_WEBHOOK_SECRET"], print_event))
    server.serve_forever()


if __name__ == "__main__":
    main()
