from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderRecord")


@_attrs_define
class OrderRecord:
    external_id: str
    merchant_ref: str
    """ the customer's ref at the institution """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals
    as the currency has (USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD
    / 999999999999999 JPY per posting """
    order_date: datetime.date
    customs_mode: None | str | Unset = UNSET
    destination_country: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        external_id = self.external_id

        merchant_ref = self.merchant_ref

        currency: str = self.currency

        amount = self.amount

        order_date = self.order_date.isoformat()

        customs_mode: None | str | Unset
        if isinstance(self.customs_mode, Unset):
            customs_mode = UNSET
        else:
            customs_mode = self.customs_mode

        destination_country: None | str | Unset
        if isinstance(self.destination_country, Unset):
            destination_country = UNSET
        else:
            destination_country = self.destination_country

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "external_id": external_id,
                "merchant_ref": merchant_ref,
                "currency": currency,
                "amount": amount,
                "order_date": order_date,
            }
        )
        if customs_mode is not UNSET:
            field_dict["customs_mode"] = customs_mode
        if destination_country is not UNSET:
            field_dict["destination_country"] = destination_country

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        external_id = d.pop("external_id")

        merchant_ref = d.pop("merchant_ref")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        order_date = datetime.date.fromisoformat(d.pop("order_date"))

        def _parse_customs_mode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customs_mode = _parse_customs_mode(d.pop("customs_mode", UNSET))

        def _parse_destination_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        destination_country = _parse_destination_country(d.pop("destination_country", UNSET))

        order_record = cls(
            external_id=external_id,
            merchant_ref=merchant_ref,
            currency=currency,
            amount=amount,
            order_date=order_date,
            customs_mode=customs_mode,
            destination_country=destination_country,
        )

        return order_record
