from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ValuationOut")


@_attrs_define
class ValuationOut:
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    quantity: str
    price: str
    """ Decimal amount in major units, as a string """
    price_date: datetime.date
    haircut: str
    gross: str
    """ Decimal amount in major units, as a string """
    value: str
    """ after haircut: what the LTV is measured against """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency: str = self.currency

        quantity = self.quantity

        price = self.price

        price_date = self.price_date.isoformat()

        haircut = self.haircut

        gross = self.gross

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "quantity": quantity,
                "price": price,
                "price_date": price_date,
                "haircut": haircut,
                "gross": gross,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = check_currency(d.pop("currency"))

        quantity = d.pop("quantity")

        price = d.pop("price")

        price_date = datetime.date.fromisoformat(d.pop("price_date"))

        haircut = d.pop("haircut")

        gross = d.pop("gross")

        value = d.pop("value")

        valuation_out = cls(
            currency=currency,
            quantity=quantity,
            price=price,
            price_date=price_date,
            haircut=haircut,
            gross=gross,
            value=value,
        )

        valuation_out.additional_properties = d
        return valuation_out

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
