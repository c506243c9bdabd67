from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ScheduleItemOut")


@_attrs_define
class ScheduleItemOut:
    due_date: datetime.date
    principal: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    interest: str
    """ the daily accrual of the instalment's days on the principal then outstanding """
    fee: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    number: int | None | Unset = UNSET
    """ 1 for the first instalment (absent on offers made before schedules) """
    start: datetime.date | None | Unset = UNSET
    """ first day of the instalment's interest """
    days: int | None | Unset = UNSET
    """ days of interest (start inclusive, due date exclusive) """
    total: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        due_date = self.due_date.isoformat()

        principal = self.principal

        interest = self.interest

        fee = self.fee

        number: int | None | Unset
        if isinstance(self.number, Unset):
            number = UNSET
        else:
            number = self.number

        start: None | str | Unset
        if isinstance(self.start, Unset):
            start = UNSET
        elif isinstance(self.start, datetime.date):
            start = self.start.isoformat()
        else:
            start = self.start

        days: int | None | Unset
        if isinstance(self.days, Unset):
            days = UNSET
        else:
            days = self.days

        total: None | str | Unset
        if isinstance(self.total, Unset):
            total = UNSET
        else:
            total = self.total

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
        if number is not UNSET:
            field_dict["number"] = number
        if start is not UNSET:
            field_dict["start"] = start
        if days is not UNSET:
            field_dict["days"] = days
        if total is not UNSET:
            field_dict["total"] = total

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        principal = d.pop("principal")

        interest = d.pop("interest")

        fee = d.pop("fee")

        def _parse_number(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        number = _parse_number(d.pop("number", UNSET))

        def _parse_start(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_type_0 = datetime.date.fromisoformat(data)

                return start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        start = _parse_start(d.pop("start", UNSET))

        def _parse_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        days = _parse_days(d.pop("days", UNSET))

        def _parse_total(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        total = _parse_total(d.pop("total", UNSET))

        schedule_item_out = cls(
            due_date=due_date,
            principal=principal,
            interest=interest,
            fee=fee,
            number=number,
            start=start,
            days=days,
            total=total,
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
