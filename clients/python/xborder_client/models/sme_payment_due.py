from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="SmePaymentDue")


@_attrs_define
class SmePaymentDue:
    notice_id: str
    """ the notification (as listed for the SME user) """
    customer_id: str
    """ the merchant told """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    instalment: int
    due_date: str
    loan_id: None | str | Unset = UNSET
    amount: None | str | Unset = UNSET
    """ decimal string in major units with exactly the currency's exponent """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notice_id = self.notice_id

        customer_id = self.customer_id

        currency: str = self.currency

        instalment = self.instalment

        due_date = self.due_date

        loan_id: None | str | Unset
        if isinstance(self.loan_id, Unset):
            loan_id = UNSET
        else:
            loan_id = self.loan_id

        amount: None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notice_id": notice_id,
                "customer_id": customer_id,
                "currency": currency,
                "instalment": instalment,
                "due_date": due_date,
            }
        )
        if loan_id is not UNSET:
            field_dict["loan_id"] = loan_id
        if amount is not UNSET:
            field_dict["amount"] = amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        notice_id = d.pop("notice_id")

        customer_id = d.pop("customer_id")

        currency = check_currency(d.pop("currency"))

        instalment = d.pop("instalment")

        due_date = d.pop("due_date")

        def _parse_loan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        loan_id = _parse_loan_id(d.pop("loan_id", UNSET))

        def _parse_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        sme_payment_due = cls(
            notice_id=notice_id,
            customer_id=customer_id,
            currency=currency,
            instalment=instalment,
            due_date=due_date,
            loan_id=loan_id,
            amount=amount,
        )

        sme_payment_due.additional_properties = d
        return sme_payment_due

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
