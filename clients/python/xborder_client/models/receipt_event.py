from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReceiptEvent")


@_attrs_define
class ReceiptEvent:
    receipt_id: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    gross: str
    """ decimal string in major units with exactly the currency's exponent """
    net: str
    """ decimal string in major units with exactly the currency's exponent """
    status: str
    """ credited, pending_verification or suspense """
    customer_id: None | str | Unset = UNSET
    suspense_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        receipt_id = self.receipt_id

        currency: str = self.currency

        gross = self.gross

        net = self.net

        status = self.status

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        suspense_reason: None | str | Unset
        if isinstance(self.suspense_reason, Unset):
            suspense_reason = UNSET
        else:
            suspense_reason = self.suspense_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "receipt_id": receipt_id,
                "currency": currency,
                "gross": gross,
                "net": net,
                "status": status,
            }
        )
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if suspense_reason is not UNSET:
            field_dict["suspense_reason"] = suspense_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        receipt_id = d.pop("receipt_id")

        currency = check_currency(d.pop("currency"))

        gross = d.pop("gross")

        net = d.pop("net")

        status = d.pop("status")

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_suspense_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        suspense_reason = _parse_suspense_reason(d.pop("suspense_reason", UNSET))

        receipt_event = cls(
            receipt_id=receipt_id,
            currency=currency,
            gross=gross,
            net=net,
            status=status,
            customer_id=customer_id,
            suspense_reason=suspense_reason,
        )

        receipt_event.additional_properties = d
        return receipt_event

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
