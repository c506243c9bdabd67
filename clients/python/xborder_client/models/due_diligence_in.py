from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DueDiligenceIn")


@_attrs_define
class DueDiligenceIn:
    checked_on: datetime.date | None | Unset = UNSET
    """ default: today (China Standard Time) """

    def to_dict(self) -> dict[str, Any]:
        checked_on: None | str | Unset
        if isinstance(self.checked_on, Unset):
            checked_on = UNSET
        elif isinstance(self.checked_on, datetime.date):
            checked_on = self.checked_on.isoformat()
        else:
            checked_on = self.checked_on

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if checked_on is not UNSET:
            field_dict["checked_on"] = checked_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_checked_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_on_type_0 = datetime.date.fromisoformat(data)

                return checked_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        checked_on = _parse_checked_on(d.pop("checked_on", UNSET))

        due_diligence_in = cls(
            checked_on=checked_on,
        )

        return due_diligence_in
