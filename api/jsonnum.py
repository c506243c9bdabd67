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

from typing import Any

from pydantic import model_validator

from .models import Strict


def integral(data: Any) -> Any:
    """``data`` with every integral float (in nested objects and arrays too) as an int."""
    if isinstance(data, float):
        return int(data) if data.is_integer() else data
    if isinstance(data, dict):
        return {k: integral(v) for k, v in data.items()}
    if isinstance(data, list):
        return [integral(v) for v in data]
    return data


class JsonStrict(Strict):
    """``api.models.Strict`` (extra fields refused) reading ``7.0`` as ``7``."""

    @model_validator(mode="before")
    @classmethod
    def _integral_floats(cls, data: Any) -> Any:
        return integral(data)
