from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ExpiredPolicyAdvanceOut")


@_attrs_define
class ExpiredPolicyAdvanceOut:
    loan_id: UUID
    customer_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    principal_outstanding: str
    """ Decimal amount in major units, as a string """
    policy_id: UUID
    policy_number: str
    insurer: str
    valid_until: datetime.date
    """ the last day of cover """
    days_since_expiry: int
    receivable_id: UUID
    invoice_number: str
    buyer_ref: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loan_id = str(self.loan_id)

        customer_id = str(self.customer_id)

        currency: str = self.currency

        principal_outstanding = self.principal_outstanding

        policy_id = str(self.policy_id)

        policy_number = self.policy_number

        insurer = self.insurer

        valid_until = self.valid_until.isoformat()

        days_since_expiry = self.days_since_expiry

        receivable_id = str(self.receivable_id)

        invoice_number = self.invoice_number

        buyer_ref = self.buyer_ref

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loan_id": loan_id,
                "customer_id": customer_id,
                "currency": currency,
                "principal_outstanding": principal_outstanding,
                "policy_id": policy_id,
                "policy_number": policy_number,
                "insurer": insurer,
                "valid_until": valid_until,
                "days_since_expiry": days_since_expiry,
                "receivable_id": receivable_id,
                "invoice_number": invoice_number,
                "buyer_ref": buyer_ref,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loan_id = UUID(d.pop("loan_id"))

        customer_id = UUID(d.pop("customer_id"))

        currency = check_currency(d.pop("currency"))

        principal_outstanding = d.pop("principal_outstanding")

        policy_id = UUID(d.pop("policy_id"))

        policy_number = d.pop("policy_number")

        insurer = d.pop("insurer")

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        days_since_expiry = d.pop("days_since_expiry")

        receivable_id = UUID(d.pop("receivable_id"))

        invoice_number = d.pop("invoice_number")

        buyer_ref = d.pop("buyer_ref")

        expired_policy_advance_out = cls(
            loan_id=loan_id,
            customer_id=customer_id,
            currency=currency,
            principal_outstanding=principal_outstanding,
            policy_id=policy_id,
            policy_number=policy_number,
            insurer=insurer,
            valid_until=valid_until,
            days_since_expiry=days_since_expiry,
            receivable_id=receivable_id,
            invoice_number=invoice_number,
            buyer_ref=buyer_ref,
        )

        expired_policy_advance_out.additional_properties = d
        return expired_policy_advance_out

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
