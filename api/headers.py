"""Security headers on every answer of the app, problems included.

* ``X-Content-Type-Options: nosniff`` on every response;
* ``Cache-Control: no-store`` on every API answer (``/v1``: balances,
  personal data, access tokens) and on every answer to a request that
  carries credentials (``Authorization``) or was authenticated, whatever
  the route set;
* ``Strict-Transport-Security`` when the request came over TLS: directly
  (the ASGI scheme is ``https``) or through a trusted reverse proxy
  (``XBORDER_TRUSTED_PROXIES``) that says so in ``X-Forwarded-Proto``.

It is the outermost middleware, so the answers of the other middleware
(413, 422 NUL refusals) carry the headers too.  Routes keep their own
headers otherwise (the console's and the docs' Content-Security-Policy).
"""

from __future__ import annotations

import ipaddress

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = "max-age=31536000"
NO_STORE = "no-store"


def trusted_networks(setting: str | None) -> tuple[list[ipaddress.IPv4Network | ipaddress.IPv6Network], bool]:
    """The networks of ``XBORDER_TRUSTED_PROXIES`` (addresses or CIDRs,
    comma-separated; ``none`` or unset: none) and whether ``*`` trusts all."""
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    everyone = False
    for item in (x.strip() for x in (setting or "").split(",")):
        if not item or item.lower() == "none":
            continue
        if item == "*":
            everyone = True
            continue
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue  # a unix socket path or a name: never matches a client address
    return nets, everyone


class SecurityHeaders:
    """ASGI middleware adding the headers above."""

    def __init__(self, app: ASGIApp, trusted_proxies: str | None = None) -> None:
        self.app = app
        self.proxies, self.trust_all = trusted_networks(trusted_proxies)

    def _from_trusted_proxy(self, scope: Scope) -> bool:
        client = scope.get("client")
        if not client:
            return False
        if self.trust_all:
            return True
        try:
            ip = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        return any(ip in n for n in self.proxies if n.version == ip.version)

    def over_tls(self, scope: Scope, headers: Headers) -> bool:
        if scope.get("scheme") in ("https", "wss"):
            return True
        proto = headers.get("x-forwarded-proto") or ""
        return proto.split(",")[-1].strip().lower() == "https" and self._from_trusted_proxy(scope)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        tls = self.over_tls(scope, request_headers)
        credentials = "authorization" in request_headers or str(scope.get("path", "")).startswith("/v1")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                state = scope.get("state") or {}
                if credentials or state.get("principal") is not None:
                    headers["Cache-Control"] = NO_STORE
                if tls:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
