from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="WaybillOut")


@_attrs_define
class WaybillOut:
    id: UUID
    external_id: str
    merchant_ref: str
    shipped_on: datetime.date
    carrier: None | str
    currency: Currency | None
    amount: None | str
    destination_country: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        external_id = self.external_id

        merchant_ref = self.merchant_ref

        shipped_on = self.shipped_on.isoformat()

        carrier: None | str
        carrier = self.carrier

        currency: None | str
        if isinstance(self.currency, str):
            currency = self.currency
        else:
            currency = self.currency

        amount: None | str
        amount = self.amount

        destination_country: None | str
        destination_country = self.destination_country

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "external_id": external_id,
                "merchant_ref": merchant_ref,
                "shipped_on": shipped_on,
                "carrier": carrier,
                "currency": currency,
                "amount": amount,
                "destination_country": destination_country,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        external_id = d.pop("external_id")

        merchant_ref = d.pop("merchant_ref")

        shipped_on = datetime.date.fromisoformat(d.pop("shipped_on"))

        def _parse_carrier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        carrier = _parse_carrier(d.pop("carrier"))

        def _parse_currency(data: object) -> Currency | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                currency_type_0 = check_currency(data)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Currency | None, data)

        currency = _parse_currency(d.pop("currency"))

        def _parse_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        amount = _parse_amount(d.pop("amount"))

        def _parse_destination_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        destination_country = _parse_destination_country(d.pop("destination_country"))

        waybill_out = cls(
            id=id,
            external_id=external_id,
            merchant_ref=merchant_ref,
            shipped_on=shipped_on,
            carrier=carrier,
            currency=currency,
            amount=amount,
            destination_country=destination_country,
        )

        waybill_out.additional_properties = d
        return waybill_out

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
