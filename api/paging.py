"""The one list shape of the API, and the one pagination helper.

Every list route answers ``{"data": [...], "has_more": bool,
"next_cursor": str | null}`` and takes ``?limit=`` and ``?cursor=``.
Pages are keyset pages (the cursor holds the sort key of the last row
returned), so they are stable under concurrent inserts: a row inserted
behind the cursor is not seen, a row ahead of it is seen once, no row is
seen twice.

A cursor is opaque to callers: URL-safe base64 of a small JSON document
naming the list it belongs to and the key of the last row.  A cursor of
another list, or text that is not a cursor, is a 422 ``invalid_cursor``.

Use in a route::

    @router.get("/things", response_model=Page[ThingOut])
    async def list_things(page: PageQuery = Depends(page_query()), ...):
        after = page.after("things")              # None on the first page
        rows = await fetch(after=after, limit=page.limit + 1)
        return page.build("things", rows, key=lambda r: [r.created_at.isoformat(), str(r.id)], out=_out)
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from .problems import ProblemError

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_CURSOR = 512


class Page(BaseModel, Generic[T]):
    """A page of a list."""

    data: list[T] = Field(description="the rows of this page, in the list's order")
    has_more: bool = Field(description="true when rows follow this page")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


def encode_cursor(kind: str, key: Sequence[Any]) -> str:
    """The cursor after a row whose sort key is ``key`` in list ``kind``."""
    raw = json.dumps({"l": kind, "k": list(key)}, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def invalid_cursor(detail: str) -> ProblemError:
    return ProblemError(422, "invalid_cursor", "Invalid cursor", detail, errors=[{"location": "query.cursor", "message": detail}])


def decode_cursor(kind: str, cursor: str) -> list[Any]:
    """The sort key held by ``cursor``; 422 ``invalid_cursor`` when it is not
    a cursor of list ``kind``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        doc = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid_cursor("not a cursor returned by this API") from None
    if not isinstance(doc, dict) or doc.get("l") != kind or not isinstance(doc.get("k"), list):
        raise invalid_cursor("this cursor belongs to another list (or was altered)")
    return list(doc["k"])


@dataclass(frozen=True)
class PageQuery:
    """``?limit=`` and ``?cursor=`` of one request."""

    limit: int
    cursor: str | None

    def after(self, kind: str) -> list[Any] | None:
        """The sort key of the last row of the previous page, or None."""
        return None if self.cursor is None else decode_cursor(kind, self.cursor)

    def build(self, kind: str, rows: Sequence[R], *, key: Callable[[R], Sequence[Any]], out: Callable[[R], Any]) -> Page[Any]:
        """A page from ``rows`` fetched with ``limit + 1`` (the extra row only
        tells that more follow)."""
        more = len(rows) > self.limit
        shown = list(rows[: self.limit])
        nxt = encode_cursor(kind, key(shown[-1])) if more and shown else None
        return Page[Any](data=[out(r) for r in shown], has_more=more, next_cursor=nxt)


def page_query(default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> Callable[..., Awaitable[PageQuery]]:
    """A dependency reading ``?limit=`` (1..maximum, default ``default``) and ``?cursor=``."""

    async def dep(
        limit: int = Query(default=default, ge=1, le=maximum, description=f"rows per page (1 to {maximum}, default {default})"),
        cursor: str | None = Query(default=None, min_length=1, max_length=MAX_CURSOR, description="`next_cursor` of the previous page; omit for the first page"),
    ) -> PageQuery:
        return PageQuery(limit=limit, cursor=cursor)

    return dep
