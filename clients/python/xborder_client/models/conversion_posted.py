from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.conversion_posted_cny import ConversionPostedCny


T = TypeVar("T", bound="ConversionPosted")


@_attrs_define
class ConversionPosted:
    conversion_id: str
    direction: str
    """ to_cny (结汇) or from_cny (购汇) """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ decimal string in major units with exactly the currency's exponent """
    cny: ConversionPostedCny
    """ the CNY side as a Money object {"amount": "...", "currency": "CNY"} """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversion_id = self.conversion_id

        direction = self.direction

        currency: str = self.currency

        amount = self.amount

        cny = self.cny.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversion_id": conversion_id,
                "direction": direction,
                "currency": currency,
                "amount": amount,
                "cny": cny,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversion_posted_cny import ConversionPostedCny  # noqa: PLC0415

        d = dict(src_dict)
        conversion_id = d.pop("conversion_id")

        direction = d.pop("direction")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        cny = ConversionPostedCny.from_dict(d.pop("cny"))

        conversion_posted = cls(
            conversion_id=conversion_id,
            direction=direction,
            currency=currency,
            amount=amount,
            cny=cny,
        )

        conversion_posted.additional_properties = d
        return conversion_posted

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
