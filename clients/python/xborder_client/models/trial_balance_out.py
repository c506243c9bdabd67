from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.trial_balance_line_out import TrialBalanceLineOut
    from ..models.trial_balance_total import TrialBalanceTotal


T = TypeVar("T", bound="TrialBalanceOut")


@_attrs_define
class TrialBalanceOut:
    ledger_id: UUID
    as_of_date: datetime.date | None
    lines: list[TrialBalanceLineOut]
    totals: list[TrialBalanceTotal]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ledger_id = str(self.ledger_id)

        as_of_date: None | str
        if isinstance(self.as_of_date, datetime.date):
            as_of_date = self.as_of_date.isoformat()
        else:
            as_of_date = self.as_of_date

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ledger_id": ledger_id,
                "as_of_date": as_of_date,
                "lines": lines,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trial_balance_line_out import TrialBalanceLineOut  # noqa: PLC0415
        from ..models.trial_balance_total import TrialBalanceTotal  # noqa: PLC0415

        d = dict(src_dict)
        ledger_id = UUID(d.pop("ledger_id"))

        def _parse_as_of_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_date_type_0 = datetime.date.fromisoformat(data)

                return as_of_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        as_of_date = _parse_as_of_date(d.pop("as_of_date"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = TrialBalanceLineOut.from_dict(lines_item_data)

            lines.append(lines_item)

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = TrialBalanceTotal.from_dict(totals_item_data)

            totals.append(totals_item)

        trial_balance_out = cls(
            ledger_id=ledger_id,
            as_of_date=as_of_date,
            lines=lines,
            totals=totals,
        )

        trial_balance_out.additional_properties = d
        return trial_balance_out

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
