from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.stat_out import StatOut


T = TypeVar("T", bound="StatisticsOutStatOut")


@_attrs_define
class StatisticsOutStatOut:
    date_from: datetime.date
    date_to: datetime.date
    group_by: list[str]
    rows: list[StatOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        group_by = self.group_by

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date_from": date_from,
                "date_to": date_to,
                "group_by": group_by,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stat_out import StatOut  # noqa: PLC0415

        d = dict(src_dict)
        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        group_by = cast(list[str], d.pop("group_by"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = StatOut.from_dict(rows_item_data)

            rows.append(rows_item)

        statistics_out_stat_out = cls(
            date_from=date_from,
            date_to=date_to,
            group_by=group_by,
            rows=rows,
        )

        statistics_out_stat_out.additional_properties = d
        return statistics_out_stat_out

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
