"""What the finance console and the SME portal share as server-rendered
sites: the HMAC of a site's tokens (CSRF, flash), its cookies (HttpOnly,
SameSite=Strict, Secure on https, scoped to the site's path), the one-shot
flash message, the redirect to its login page and a refusal as one line."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from ledger.errors import LedgerError

from ..deps import app_context
from ..problems import ProblemError


@dataclass(frozen=True)
class Site:
    """One server-rendered site: its path, cookie names and MAC scope."""

    prefix: str
    session_cookie: str
    flash_cookie: str
    #: the keyring subkey scope of its MACs (a console MAC is no portal MAC)
    scope: str

    def mac(self, request: Request, purpose: str, value: str) -> str:
        keyring = app_context(request).keyring
        key = keyring._subkey(keyring.current, f"{self.scope}:{purpose}")
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()

    def set_cookie(self, request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(name, value, max_age=max_age, path=self.prefix, httponly=True, samesite="strict", secure=request.url.scheme == "https")

    def to_login(self, request: Request, message: str = "") -> Response:
        response = RedirectResponse(f"{self.prefix}/login" + (f"?{urlencode({'reason': message})}" if message else ""), status_code=303)
        if request.cookies.get(self.session_cookie):
            response.delete_cookie(self.session_cookie, path=self.prefix)
        return response

    def flash(self, request: Request, response: Response, kind: str, text: str) -> Response:
        payload = base64.urlsafe_b64encode(json.dumps({"kind": kind, "text": text[:1000]}).encode()).decode()
        self.set_cookie(request, response, self.flash_cookie, f"{payload}.{self.mac(request, 'flash', payload)}", max_age=120)
        return response

    def read_flash(self, request: Request) -> dict[str, Any] | None:
        raw = request.cookies.get(self.flash_cookie)
        if not raw or "." not in raw:
            return None
        payload, _, mac = raw.rpartition(".")
        if not hmac.compare_digest(mac, self.mac(request, "flash", payload)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        except (ValueError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) and data.get("kind") in ("ok", "error") else None

    def redirect(self, request: Request, page: str, kind: str | None = None, text: str = "") -> Response:
        response = RedirectResponse(f"{self.prefix}/{page}", status_code=303)
        if kind:
            self.flash(request, response, kind, text)
        return response


def refusal_text(exc: BaseException, t: Callable[..., str] | None = None) -> str:
    """A refusal as one line: its title (in ``t``'s language when given), then the detail."""
    if not isinstance(exc, (LedgerError, ProblemError)):
        return str(exc)
    title = exc.title if t is None else t(exc.title)
    if isinstance(exc, LedgerError):
        return f"{title}: {exc.message}"
    return f"{title}: {exc.detail or ''}".rstrip(": ")
