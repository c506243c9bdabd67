from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="PolicyExpiredAdvance")


@_attrs_define
class PolicyExpiredAdvance:
    notice_id: str
    loan_id: str
    customer_id: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    principal_outstanding: str
    """ decimal string in major units with exactly the currency's exponent """
    policy_id: str
    policy_number: str
    valid_until: str
    """ the last day of cover (ISO date) """
    receivable_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notice_id = self.notice_id

        loan_id = self.loan_id

        customer_id = self.customer_id

        currency: str = self.currency

        principal_outstanding = self.principal_outstanding

        policy_id = self.policy_id

        policy_number = self.policy_number

        valid_until = self.valid_until

        receivable_id = self.receivable_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notice_id": notice_id,
                "loan_id": loan_id,
                "customer_id": customer_id,
                "currency": currency,
                "principal_outstanding": principal_outstanding,
                "policy_id": policy_id,
                "policy_number": policy_number,
                "valid_until": valid_until,
                "receivable_id": receivable_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        notice_id = d.pop("notice_id")

        loan_id = d.pop("loan_id")

        customer_id = d.pop("customer_id")

        currency = check_currency(d.pop("currency"))

        principal_outstanding = d.pop("principal_outstanding")

        policy_id = d.pop("policy_id")

        policy_number = d.pop("policy_number")

        valid_until = d.pop("valid_until")

        receivable_id = d.pop("receivable_id")

        policy_expired_advance = cls(
            notice_id=notice_id,
            loan_id=loan_id,
            customer_id=customer_id,
            currency=currency,
            principal_outstanding=principal_outstanding,
            policy_id=policy_id,
            policy_number=policy_number,
            valid_until=valid_until,
            receivable_id=receivable_id,
        )

        policy_expired_advance.additional_properties = d
        return policy_expired_advance

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
