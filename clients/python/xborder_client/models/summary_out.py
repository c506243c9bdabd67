from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.summary_out_accounts_item import SummaryOutAccountsItem
    from ..models.summary_out_daily_item import SummaryOutDailyItem


T = TypeVar("T", bound="SummaryOut")


@_attrs_define
class SummaryOut:
    as_of: datetime.date
    lines: int
    matched_lines: int
    match_rate: str
    """ percent, two decimals """
    pending_proposals: int
    accounts: list[SummaryOutAccountsItem]
    daily: list[SummaryOutDailyItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        lines = self.lines

        matched_lines = self.matched_lines

        match_rate = self.match_rate

        pending_proposals = self.pending_proposals

        accounts = []
        for accounts_item_data in self.accounts:
            accounts_item = accounts_item_data.to_dict()
            accounts.append(accounts_item)

        daily = []
        for daily_item_data in self.daily:
            daily_item = daily_item_data.to_dict()
            daily.append(daily_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "lines": lines,
                "matched_lines": matched_lines,
                "match_rate": match_rate,
                "pending_proposals": pending_proposals,
                "accounts": accounts,
                "daily": daily,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary_out_accounts_item import SummaryOutAccountsItem  # noqa: PLC0415
        from ..models.summary_out_daily_item import SummaryOutDailyItem  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        lines = d.pop("lines")

        matched_lines = d.pop("matched_lines")

        match_rate = d.pop("match_rate")

        pending_proposals = d.pop("pending_proposals")

        accounts = []
        _accounts = d.pop("accounts")
        for accounts_item_data in _accounts:
            accounts_item = SummaryOutAccountsItem.from_dict(accounts_item_data)

            accounts.append(accounts_item)

        daily = []
        _daily = d.pop("daily")
        for daily_item_data in _daily:
            daily_item = SummaryOutDailyItem.from_dict(daily_item_data)

            daily.append(daily_item)

        summary_out = cls(
            as_of=as_of,
            lines=lines,
            matched_lines=matched_lines,
            match_rate=match_rate,
            pending_proposals=pending_proposals,
            accounts=accounts,
            daily=daily,
        )

        summary_out.additional_properties = d
        return summary_out

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
