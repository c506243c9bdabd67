from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisbursementIn")


@_attrs_define
class DisbursementIn:
    value_date: datetime.date | None | Unset = UNSET
    """ value date: back-dated at most 30 days (XBORDER_FINANCING_BACKDATE_DAYS), never after today in China time;
    default today; interest and the due date (days past due) count from it """

    def to_dict(self) -> dict[str, Any]:
        value_date: None | str | Unset
        if isinstance(self.value_date, Unset):
            value_date = UNSET
        elif isinstance(self.value_date, datetime.date):
            value_date = self.value_date.isoformat()
        else:
            value_date = self.value_date

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if value_date is not UNSET:
            field_dict["value_date"] = value_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_value_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                value_date_type_0 = datetime.date.fromisoformat(data)

                return value_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        value_date = _parse_value_date(d.pop("value_date", UNSET))

        disbursement_in = cls(
            value_date=value_date,
        )

        return disbursement_in
