from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="SmeOverdue")


@_attrs_define
class SmeOverdue:
    notice_id: str
    """ the notification (as listed for the SME user) """
    customer_id: str
    """ the merchant told """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    days_past_due: int
    as_of: str
    owed: str
    """ decimal string in major units with exactly the currency's exponent """
    loan_id: None | str | Unset = UNSET
    bucket: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notice_id = self.notice_id

        customer_id = self.customer_id

        currency: str = self.currency

        days_past_due = self.days_past_due

        as_of = self.as_of

        owed = self.owed

        loan_id: None | str | Unset
        if isinstance(self.loan_id, Unset):
            loan_id = UNSET
        else:
            loan_id = self.loan_id

        bucket: None | str | Unset
        if isinstance(self.bucket, Unset):
            bucket = UNSET
        else:
            bucket = self.bucket

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notice_id": notice_id,
                "customer_id": customer_id,
                "currency": currency,
                "days_past_due": days_past_due,
                "as_of": as_of,
                "owed": owed,
            }
        )
        if loan_id is not UNSET:
            field_dict["loan_id"] = loan_id
        if bucket is not UNSET:
            field_dict["bucket"] = bucket

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        notice_id = d.pop("notice_id")

        customer_id = d.pop("customer_id")

        currency = check_currency(d.pop("currency"))

        days_past_due = d.pop("days_past_due")

        as_of = d.pop("as_of")

        owed = d.pop("owed")

        def _parse_loan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        loan_id = _parse_loan_id(d.pop("loan_id", UNSET))

        def _parse_bucket(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bucket = _parse_bucket(d.pop("bucket", UNSET))

        sme_overdue = cls(
            notice_id=notice_id,
            customer_id=customer_id,
            currency=currency,
            days_past_due=days_past_due,
            as_of=as_of,
            owed=owed,
            loan_id=loan_id,
            bucket=bucket,
        )

        sme_overdue.additional_properties = d
        return sme_overdue

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
