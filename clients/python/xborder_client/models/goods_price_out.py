from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="GoodsPriceOut")


@_attrs_define
class GoodsPriceOut:
    goods_type: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    unit: str
    price_date: datetime.date
    price: str
    """ Decimal amount in major units, as a string """
    source: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        goods_type = self.goods_type

        currency: str = self.currency

        unit = self.unit

        price_date = self.price_date.isoformat()

        price = self.price

        source: None | str
        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "goods_type": goods_type,
                "currency": currency,
                "unit": unit,
                "price_date": price_date,
                "price": price,
                "source": source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        goods_type = d.pop("goods_type")

        currency = check_currency(d.pop("currency"))

        unit = d.pop("unit")

        price_date = datetime.date.fromisoformat(d.pop("price_date"))

        price = d.pop("price")

        def _parse_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source = _parse_source(d.pop("source"))

        goods_price_out = cls(
            goods_type=goods_type,
            currency=currency,
            unit=unit,
            price_date=price_date,
            price=price,
            source=source,
        )

        goods_price_out.additional_properties = d
        return goods_price_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
