from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentEvent")


@_attrs_define
class PaymentEvent:
    payment_id: str
    customer_id: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ decimal string in major units with exactly the currency's exponent """
    status: str
    """ paid or held """
    hold_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payment_id = self.payment_id

        customer_id = self.customer_id

        currency: str = self.currency

        amount = self.amount

        status = self.status

        hold_reason: None | str | Unset
        if isinstance(self.hold_reason, Unset):
            hold_reason = UNSET
        else:
            hold_reason = self.hold_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payment_id": payment_id,
                "customer_id": customer_id,
                "currency": currency,
                "amount": amount,
                "status": status,
            }
        )
        if hold_reason is not UNSET:
            field_dict["hold_reason"] = hold_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payment_id = d.pop("payment_id")

        customer_id = d.pop("customer_id")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        status = d.pop("status")

        def _parse_hold_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hold_reason = _parse_hold_reason(d.pop("hold_reason", UNSET))

        payment_event = cls(
            payment_id=payment_id,
            customer_id=customer_id,
            currency=currency,
            amount=amount,
            status=status,
            hold_reason=hold_reason,
        )

        payment_event.additional_properties = d
        return payment_event

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
