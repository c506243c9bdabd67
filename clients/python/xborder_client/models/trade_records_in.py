from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.trade_records_in_records_item import TradeRecordsInRecordsItem


T = TypeVar("T", bound="TradeRecordsIn")


@_attrs_define
class TradeRecordsIn:
    records: list[TradeRecordsInRecordsItem]
    """ up to 10,000 records, each shaped like the single-record body of the route (amounts as decimal strings
    `amount` with at most the currency's decimals, dates as YYYY-MM-DD); a bad record is rejected and held, the
    others go in """

    def to_dict(self) -> dict[str, Any]:
        records = []
        for records_item_data in self.records:
            records_item = records_item_data.to_dict()
            records.append(records_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "records": records,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trade_records_in_records_item import TradeRecordsInRecordsItem  # noqa: PLC0415

        d = dict(src_dict)
        records = []
        _records = d.pop("records")
        for records_item_data in _records:
            records_item = TradeRecordsInRecordsItem.from_dict(records_item_data)

            records.append(records_item)

        trade_records_in = cls(
            records=records,
        )

        return trade_records_in
