from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="CurrencyIn")


@_attrs_define
class CurrencyIn:
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """

    def to_dict(self) -> dict[str, Any]:
        currency: str = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = check_currency(d.pop("currency"))

        currency_in = cls(
            currency=currency,
        )

        return currency_in
