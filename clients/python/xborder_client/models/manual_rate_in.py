from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="ManualRateIn")


@_attrs_define
class ManualRateIn:
    base: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    quote: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    rate: str
    """ Positive decimal rate as a string: units of quote per one unit of base """
    as_of: datetime.date | None | Unset = UNSET
    """ rate date; default today (China Standard Time); never a later day (422) """

    def to_dict(self) -> dict[str, Any]:
        base: str = self.base

        quote: str = self.quote

        rate = self.rate

        as_of: None | str | Unset
        if isinstance(self.as_of, Unset):
            as_of = UNSET
        elif isinstance(self.as_of, datetime.date):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base": base,
                "quote": quote,
                "rate": rate,
            }
        )
        if as_of is not UNSET:
            field_dict["as_of"] = as_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base = check_currency(d.pop("base"))

        quote = check_currency(d.pop("quote"))

        rate = d.pop("rate")

        def _parse_as_of(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.date.fromisoformat(data)

                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        as_of = _parse_as_of(d.pop("as_of", UNSET))

        manual_rate_in = cls(
            base=base,
            quote=quote,
            rate=rate,
            as_of=as_of,
        )

        return manual_rate_in
