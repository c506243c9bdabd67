from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="SpreadIn")


@_attrs_define
class SpreadIn:
    base: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    quote: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    spread_bp: int
    """ spread around the mid rate in basis points, at most the institution's `max_spread_bp` (default 1000; beyond
    it 422 `spread_above_maximum`); base and quote differ (else 422 `same_currency_pair`) """

    def to_dict(self) -> dict[str, Any]:
        base: str = self.base

        quote: str = self.quote

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
        base = check_currency(d.pop("base"))

        quote = check_currency(d.pop("quote"))

        spread_bp = d.pop("spread_bp")

        spread_in = cls(
            base=base,
            quote=quote,
            spread_bp=spread_bp,
        )

        return spread_in
