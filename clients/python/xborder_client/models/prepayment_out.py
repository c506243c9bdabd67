from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PrepaymentOut")


@_attrs_define
class PrepaymentOut:
    value_date: datetime.date
    amount: str
    """ what the repayment paid beyond the instalments due """
    principal: str
    """ principal it repaid ahead of the schedule """
    after_instalment: int
    """ the instalments kept; the later ones were rebuilt by the prepayment rule """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        value_date = self.value_date.isoformat()

        amount = self.amount

        principal = self.principal

        after_instalment = self.after_instalment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value_date": value_date,
                "amount": amount,
                "principal": principal,
                "after_instalment": after_instalment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        value_date = datetime.date.fromisoformat(d.pop("value_date"))

        amount = d.pop("amount")

        principal = d.pop("principal")

        after_instalment = d.pop("after_instalment")

        prepayment_out = cls(
            value_date=value_date,
            amount=amount,
            principal=principal,
            after_instalment=after_instalment,
        )

        prepayment_out.additional_properties = d
        return prepayment_out

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
