from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AccrualIn")


@_attrs_define
class AccrualIn:
    as_of: datetime.date
    """ accrue interest for every day up to this one (China time), never beyond today: interest not yet earned is
    not booked (a day after today is 422 `value_date_out_of_window`) """

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "as_of": as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        accrual_in = cls(
            as_of=as_of,
        )

        return accrual_in
