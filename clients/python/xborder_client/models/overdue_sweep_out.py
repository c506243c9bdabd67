from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.advance_out import AdvanceOut


T = TypeVar("T", bound="OverdueSweepOut")


@_attrs_define
class OverdueSweepOut:
    as_of: datetime.date
    flagged: list[AdvanceOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        flagged = []
        for flagged_item_data in self.flagged:
            flagged_item = flagged_item_data.to_dict()
            flagged.append(flagged_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "flagged": flagged,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.advance_out import AdvanceOut  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        flagged = []
        _flagged = d.pop("flagged")
        for flagged_item_data in _flagged:
            flagged_item = AdvanceOut.from_dict(flagged_item_data)

            flagged.append(flagged_item)

        overdue_sweep_out = cls(
            as_of=as_of,
            flagged=flagged,
        )

        overdue_sweep_out.additional_properties = d
        return overdue_sweep_out

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
