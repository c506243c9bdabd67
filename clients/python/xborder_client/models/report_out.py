from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.report_column_out import ReportColumnOut
    from ..models.report_out_params import ReportOutParams
    from ..models.report_out_rows_item import ReportOutRowsItem
    from ..models.report_out_totals_item import ReportOutTotalsItem


T = TypeVar("T", bound="ReportOut")


@_attrs_define
class ReportOut:
    """A report: typed columns and rows of display values (money as decimal
    strings in the row's currency, never floats); ``totals`` are shown under
    a rule.

    """

    name: str
    title: str
    params: ReportOutParams
    """ the parameters the report ran with, defaults filled """
    generated_at: datetime.datetime
    columns: list[ReportColumnOut]
    rows: list[ReportOutRowsItem]
    """ one object per row: column key -> display value (null when empty) """
    totals: list[ReportOutTotalsItem]
    notes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        title = self.title

        params = self.params.to_dict()

        generated_at = self.generated_at.isoformat()

        columns = []
        for columns_item_data in self.columns:
            columns_item = columns_item_data.to_dict()
            columns.append(columns_item)

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        notes = self.notes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "title": title,
                "params": params,
                "generated_at": generated_at,
                "columns": columns,
                "rows": rows,
                "totals": totals,
                "notes": notes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_column_out import ReportColumnOut  # noqa: PLC0415
        from ..models.report_out_params import ReportOutParams  # noqa: PLC0415
        from ..models.report_out_rows_item import ReportOutRowsItem  # noqa: PLC0415
        from ..models.report_out_totals_item import ReportOutTotalsItem  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        title = d.pop("title")

        params = ReportOutParams.from_dict(d.pop("params"))

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        columns = []
        _columns = d.pop("columns")
        for columns_item_data in _columns:
            columns_item = ReportColumnOut.from_dict(columns_item_data)

            columns.append(columns_item)

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = ReportOutRowsItem.from_dict(rows_item_data)

            rows.append(rows_item)

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = ReportOutTotalsItem.from_dict(totals_item_data)

            totals.append(totals_item)

        notes = cast(list[str], d.pop("notes"))

        report_out = cls(
            name=name,
            title=title,
            params=params,
            generated_at=generated_at,
            columns=columns,
            rows=rows,
            totals=totals,
            notes=notes,
        )

        report_out.additional_properties = d
        return report_out

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
