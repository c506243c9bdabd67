from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="TradedataPaymentOut")


@_attrs_define
class TradedataPaymentOut:
    id: UUID
    external_id: str
    merchant_ref: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    paid_on: datetime.date
    method: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        external_id = self.external_id

        merchant_ref = self.merchant_ref

        currency: str = self.currency

        amount = self.amount

        paid_on = self.paid_on.isoformat()

        method: None | str
        method = self.method

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "external_id": external_id,
                "merchant_ref": merchant_ref,
                "currency": currency,
                "amount": amount,
                "paid_on": paid_on,
                "method": method,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        external_id = d.pop("external_id")

        merchant_ref = d.pop("merchant_ref")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        paid_on = datetime.date.fromisoformat(d.pop("paid_on"))

        def _parse_method(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        method = _parse_method(d.pop("method"))

        tradedata_payment_out = cls(
            id=id,
            external_id=external_id,
            merchant_ref=merchant_ref,
            currency=currency,
            amount=amount,
            paid_on=paid_on,
            method=method,
        )

        tradedata_payment_out.additional_properties = d
        return tradedata_payment_out

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
