from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="GoodsPriceIn")


@_attrs_define
class GoodsPriceIn:
    goods_type: str
    """ printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank;
    leading and trailing spaces are dropped """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    unit: str
    price_date: datetime.date
    """ within the value-date window: back-dated at most 30 days (configurable), never after today in China time """
    price: str
    """ price of one unit of the goods, in `currency` (at most its decimals) """
    source: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        goods_type = self.goods_type

        currency: str = self.currency

        unit = self.unit

        price_date = self.price_date.isoformat()

        price = self.price

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "goods_type": goods_type,
                "currency": currency,
                "unit": unit,
                "price_date": price_date,
                "price": price,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        goods_type = d.pop("goods_type")

        currency = check_currency(d.pop("currency"))

        unit = d.pop("unit")

        price_date = datetime.date.fromisoformat(d.pop("price_date"))

        price = d.pop("price")

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        goods_price_in = cls(
            goods_type=goods_type,
            currency=currency,
            unit=unit,
            price_date=price_date,
            price=price,
            source=source,
        )

        return goods_price_in
