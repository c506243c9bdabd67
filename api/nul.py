"""Refuse the NUL character (U+0000) in text, the same way on every database.

PostgreSQL cannot store U+0000 in a text column; SQLite can.  Rather than
let the database decide (a refusal deep in a transaction on one, a stored
NUL on the other), the API refuses it at the boundary, before any route
runs: a query parameter containing ``%00`` or a JSON body with a string
(or key) containing ``\\u0000`` is answered 422 ``invalid_input`` naming
where it was (``location``: ``query.<name>`` or ``body.<path>``).

The check is cheap: the raw query string is searched for ``%00``, and a JSON
body is parsed only when its bytes contain the escape ``\\u0000``.  Statement
uploads (paths ending in ``/file``) are files, not JSON, and stream past
unread.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from .problems import problem_response
from .replay import replay

DESCRIPTION = "the NUL character (U+0000) is not accepted in text"


def _query_location(raw: bytes) -> str | None:
    if b"%00" not in raw.lower():
        return None
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return f"query.{name.replace(chr(0), '')}" if name.replace("\x00", "") else "query"
    return "query"


def _json_location(node: Any, path: str) -> str | None:
    if isinstance(node, str):
        return path if "\x00" in node else None
    if isinstance(node, list):
        for i, item in enumerate(node):
            found = _json_location(item, f"{path}[{i}]")
            if found:
                return found
    elif isinstance(node, dict):
        for key, value in node.items():
            if "\x00" in key:
                return path
            found = _json_location(value, f"{path}.{key}")
            if found:
                return found
    return None


def _body_location(body: bytes) -> str | None:
    if b"\\u0000" not in body:
        return None
    try:
        return _json_location(json.loads(body), "body")
    except ValueError:
        return None  # not JSON after all: the route's own parser answers


def _is_json(scope) -> bool:
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            media = value.split(b";")[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


def _refusal(location: str):
    return problem_response(422, "invalid_input", "Invalid input", f"{location}: {DESCRIPTION}", field=location, location=location)


class NulGuard:
    """ASGI middleware: a 422 ``invalid_input`` problem for U+0000 in the
    query string or in a JSON body's strings; other requests pass unchanged."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        where = _query_location(scope.get("query_string") or b"")
        if where is not None:
            return await _refusal(where)(scope, receive, send)
        if not _is_json(scope) or scope.get("path", "").endswith("/file"):
            return await self.app(scope, receive, send)
        messages, chunks, more = [], [], True
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        where = _body_location(b"".join(chunks))
        if where is not None:
            return await _refusal(where)(scope, receive, send)
        return await self.app(scope, replay(messages, receive), send)
