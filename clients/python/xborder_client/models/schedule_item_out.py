from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ScheduleItemOut")


@_attrs_define
class ScheduleItemOut:
    due_date: datetime.date
    principal: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    interest: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    fee: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        due_date = self.due_date.isoformat()

        principal = self.principal

        interest = self.interest

        fee = self.fee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "due_date": due_date,
                "principal": principal,
                "interest": interest,
                "fee": fee,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        principal = d.pop("principal")

        interest = d.pop("interest")

        fee = d.pop("fee")

        schedule_item_out = cls(
            due_date=due_date,
            principal=principal,
            interest=interest,
            fee=fee,
        )

        schedule_item_out.additional_properties = d
        return schedule_item_out

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
