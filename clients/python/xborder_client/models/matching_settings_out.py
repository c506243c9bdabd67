from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MatchingSettingsOut")


@_attrs_define
class MatchingSettingsOut:
    date_window_days: int
    charge_tolerance: str
    """ bank charges accepted as a difference, in the account's currency """
    charge_tolerance_bp: int
    max_group_size: int
    review_amount_only_below: str
    """ amount-and-date matches below this are proposed, not applied """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date_window_days = self.date_window_days

        charge_tolerance = self.charge_tolerance

        charge_tolerance_bp = self.charge_tolerance_bp

        max_group_size = self.max_group_size

        review_amount_only_below = self.review_amount_only_below

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date_window_days": date_window_days,
                "charge_tolerance": charge_tolerance,
                "charge_tolerance_bp": charge_tolerance_bp,
                "max_group_size": max_group_size,
                "review_amount_only_below": review_amount_only_below,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date_window_days = d.pop("date_window_days")

        charge_tolerance = d.pop("charge_tolerance")

        charge_tolerance_bp = d.pop("charge_tolerance_bp")

        max_group_size = d.pop("max_group_size")

        review_amount_only_below = d.pop("review_amount_only_below")

        matching_settings_out = cls(
            date_window_days=date_window_days,
            charge_tolerance=charge_tolerance,
            charge_tolerance_bp=charge_tolerance_bp,
            max_group_size=max_group_size,
            review_amount_only_below=review_amount_only_below,
        )

        matching_settings_out.additional_properties = d
        return matching_settings_out

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
