from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SpreadIn")


@_attrs_define
class SpreadIn:
    base: str
    """ ISO 4217 alphabetic code """
    quote: str
    """ ISO 4217 alphabetic code """
    spread_bp: int
    """ spread around the mid rate in basis points """

    def to_dict(self) -> dict[str, Any]:
        base = self.base

        quote = self.quote

        spread_bp = self.spread_bp

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base": base,
                "quote": quote,
                "spread_bp": spread_bp,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base = d.pop("base")

        quote = d.pop("quote")

        spread_bp = d.pop("spread_bp")

        spread_in = cls(
            base=base,
            quote=quote,
            spread_bp=spread_bp,
        )

        return spread_in
