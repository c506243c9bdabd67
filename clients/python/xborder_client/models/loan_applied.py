from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="LoanApplied")


@_attrs_define
class LoanApplied:
    loan_id: str
    customer_id: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    requested: str
    """ decimal string in major units with exactly the currency's exponent """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loan_id = self.loan_id

        customer_id = self.customer_id

        currency: str = self.currency

        requested = self.requested

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loan_id": loan_id,
                "customer_id": customer_id,
                "currency": currency,
                "requested": requested,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loan_id = d.pop("loan_id")

        customer_id = d.pop("customer_id")

        currency = check_currency(d.pop("currency"))

        requested = d.pop("requested")

        loan_applied = cls(
            loan_id=loan_id,
            customer_id=customer_id,
            currency=currency,
            requested=requested,
        )

        loan_applied.additional_properties = d
        return loan_applied

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
