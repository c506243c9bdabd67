from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="WaybillRecord")


@_attrs_define
class WaybillRecord:
    external_id: str
    order_external_id: str
    merchant_ref: str
    shipped_on: datetime.date
    carrier: None | str | Unset = UNSET
    currency: Currency | None | Unset = UNSET
    """ of the declared value, if any """
    amount: None | str | Unset = UNSET
    """ declared value, if any (then it must agree with the order) """
    destination_country: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        external_id = self.external_id

        order_external_id = self.order_external_id

        merchant_ref = self.merchant_ref

        shipped_on = self.shipped_on.isoformat()

        carrier: None | str | Unset
        if isinstance(self.carrier, Unset):
            carrier = UNSET
        else:
            carrier = self.carrier

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        elif isinstance(self.currency, str):
            currency = self.currency
        else:
            currency = self.currency

        amount: None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        destination_country: None | str | Unset
        if isinstance(self.destination_country, Unset):
            destination_country = UNSET
        else:
            destination_country = self.destination_country

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "external_id": external_id,
                "order_external_id": order_external_id,
                "merchant_ref": merchant_ref,
                "shipped_on": shipped_on,
            }
        )
        if carrier is not UNSET:
            field_dict["carrier"] = carrier
        if currency is not UNSET:
            field_dict["currency"] = currency
        if amount is not UNSET:
            field_dict["amount"] = amount
        if destination_country is not UNSET:
            field_dict["destination_country"] = destination_country

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        external_id = d.pop("external_id")

        order_external_id = d.pop("order_external_id")

        merchant_ref = d.pop("merchant_ref")

        shipped_on = datetime.date.fromisoformat(d.pop("shipped_on"))

        def _parse_carrier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier = _parse_carrier(d.pop("carrier", UNSET))

        def _parse_currency(data: object) -> Currency | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                currency_type_0 = check_currency(data)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Currency | None | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_destination_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        destination_country = _parse_destination_country(d.pop("destination_country", UNSET))

        waybill_record = cls(
            external_id=external_id,
            order_external_id=order_external_id,
            merchant_ref=merchant_ref,
            shipped_on=shipped_on,
            carrier=carrier,
            currency=currency,
            amount=amount,
            destination_country=destination_country,
        )

        return waybill_record
