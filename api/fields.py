"""Strict field types of the HTTP contract.

FastAPI validates request bodies and queries in pydantic's Python mode,
where lax parsing turns ``0`` or ``"0"`` into the date 1970-01-01, ``1``
into ``true`` and ``"5"`` into 5.  The contract refuses all of that: a date
is an ISO 8601 ``YYYY-MM-DD`` string, an instant an RFC 3339 string with an
offset, a boolean ``true``/``false``, an integer a JSON integer.  Request
models and query parameters use these types (``tests/api/test_contract.py``
walks every route and refuses a bare ``date``, ``datetime``, ``bool`` or
``int`` in a request).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field, StrictBool
from pydantic import StrictInt as _PydanticStrictInt

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("a date is an ISO 8601 string YYYY-MM-DD")
    return value


def _rfc3339(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _INSTANT.fullmatch(value):
        raise ValueError("an instant is an RFC 3339 string with a time zone offset, e.g. 2026-12-02T10:00:00Z")
    return value


def _query_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value not in ("true", "false"):
        raise ValueError("a boolean is true or false")
    return value == "true"


#: a boolean query parameter: only ``true`` or ``false`` (not 1/0/yes/on).
#: Declare it as ``flag: Annotated[QueryBool, Query(description=...)] = False``:
#: with ``flag: QueryBool = Query(False)`` FastAPI parses the bool itself.
QueryBool = Annotated[bool, BeforeValidator(_query_bool)]
#: a calendar date: only ``"YYYY-MM-DD"``
IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(examples=["2026-12-02"])]
#: an instant: only an RFC 3339 string with an offset
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_rfc3339), Field(examples=["2026-12-02T10:00:00Z"])]

#: an integer: a JSON number without a fraction (``5`` or ``5.0``; not ``"5"``, ``true`` or ``5.5``)
# JSON Schema's integer 7.0 is read as 7 by the request models (api.models.Strict, api.jsonnum):
# a validator here would hide ge/le from the document (minimum/maximum)
StrictInt = _PydanticStrictInt

__all__ = ["IsoDate", "IsoDateTime", "QueryBool", "StrictBool", "StrictInt"]
