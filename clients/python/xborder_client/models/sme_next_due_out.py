from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SmeNextDueOut")


@_attrs_define
class SmeNextDueOut:
    due_date: datetime.date
    number: int | None
    """ the instalment (null: past the schedule, everything owed is due) """
    amount: str
    """ what is left of the scheduled amounts (principal, interest, fees) up to this instalment after the repayments
    made """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        due_date = self.due_date.isoformat()

        number: int | None
        number = self.number

        amount = self.amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "due_date": due_date,
                "number": number,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        def _parse_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        number = _parse_number(d.pop("number"))

        amount = d.pop("amount")

        sme_next_due_out = cls(
            due_date=due_date,
            number=number,
            amount=amount,
        )

        sme_next_due_out.additional_properties = d
        return sme_next_due_out

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
