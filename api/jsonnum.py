"""JSON numbers as JSON Schema counts them.

JSON Schema's ``"integer"`` is any number without a fractional part: ``7``
and ``7.0`` alike (and ``7e0``).  Python's JSON parser reads ``7.0`` as a
float, which a strict integer field refuses, so a body the document calls
valid would be answered 422.  Request models based on :class:`JsonStrict`
read an integral float as the integer it is before validation; ``7.5``,
``true`` and ``"7"`` are still refused by strict integer fields.  (The
request models of this API have no float fields: money and rates are
decimal strings.)
"""

from __future__ import annotations

from .models import Strict, integral

#: kept for the routers that name it: every request model
#: (``api.models.Strict``) now reads integral numbers this way
JsonStrict = Strict

__all__ = ["JsonStrict", "integral"]
