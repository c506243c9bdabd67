from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="SmeOfferReady")


@_attrs_define
class SmeOfferReady:
    notice_id: str
    """ the notification (as listed for the SME user) """
    customer_id: str
    """ the merchant told """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    principal: str
    """ decimal string in major units with exactly the currency's exponent """
    total_repayable: str
    """ decimal string in major units with exactly the currency's exponent """
    loan_id: None | str | Unset = UNSET
    annual_percentage_rate: None | str | Unset = UNSET
    first_due_date: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notice_id = self.notice_id

        customer_id = self.customer_id

        currency: str = self.currency

        principal = self.principal

        total_repayable = self.total_repayable

        loan_id: None | str | Unset
        if isinstance(self.loan_id, Unset):
            loan_id = UNSET
        else:
            loan_id = self.loan_id

        annual_percentage_rate: None | str | Unset
        if isinstance(self.annual_percentage_rate, Unset):
            annual_percentage_rate = UNSET
        else:
            annual_percentage_rate = self.annual_percentage_rate

        first_due_date: None | str | Unset
        if isinstance(self.first_due_date, Unset):
            first_due_date = UNSET
        else:
            first_due_date = self.first_due_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notice_id": notice_id,
                "customer_id": customer_id,
                "currency": currency,
                "principal": principal,
                "total_repayable": total_repayable,
            }
        )
        if loan_id is not UNSET:
            field_dict["loan_id"] = loan_id
        if annual_percentage_rate is not UNSET:
            field_dict["annual_percentage_rate"] = annual_percentage_rate
        if first_due_date is not UNSET:
            field_dict["first_due_date"] = first_due_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        notice_id = d.pop("notice_id")

        customer_id = d.pop("customer_id")

        currency = check_currency(d.pop("currency"))

        principal = d.pop("principal")

        total_repayable = d.pop("total_repayable")

        def _parse_loan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        loan_id = _parse_loan_id(d.pop("loan_id", UNSET))

        def _parse_annual_percentage_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        annual_percentage_rate = _parse_annual_percentage_rate(d.pop("annual_percentage_rate", UNSET))

        def _parse_first_due_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_due_date = _parse_first_due_date(d.pop("first_due_date", UNSET))

        sme_offer_ready = cls(
            notice_id=notice_id,
            customer_id=customer_id,
            currency=currency,
            principal=principal,
            total_repayable=total_repayable,
            loan_id=loan_id,
            annual_percentage_rate=annual_percentage_rate,
            first_due_date=first_due_date,
        )

        sme_offer_ready.additional_properties = d
        return sme_offer_ready

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
