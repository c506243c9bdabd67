from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MatchingSettings")


@_attrs_define
class MatchingSettings:
    date_window_days: int | Unset = 3
    """ value dates may differ by this many days """
    charge_tolerance: str | Unset = "0"
    """ bank charges accepted as a difference: a decimal string in the account's currency, at most its decimals """
    charge_tolerance_bp: int | Unset = 0
    """ …and at most this many basis points of the amount: both bounds apply, so 0 means no tolerance """
    max_group_size: int | Unset = 6
    """ most entries (or lines) combined into one match """
    review_amount_only_below: None | str | Unset = UNSET
    """ a match on amount and date alone (no shared reference) below this amount is proposed for approval instead of
    applied; default 10,000 minor units (100.00 in a currency with two decimals); "0" applies every such match """

    def to_dict(self) -> dict[str, Any]:
        date_window_days = self.date_window_days

        charge_tolerance = self.charge_tolerance

        charge_tolerance_bp = self.charge_tolerance_bp

        max_group_size = self.max_group_size

        review_amount_only_below: None | str | Unset
        if isinstance(self.review_amount_only_below, Unset):
            review_amount_only_below = UNSET
        else:
            review_amount_only_below = self.review_amount_only_below

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if date_window_days is not UNSET:
            field_dict["date_window_days"] = date_window_days
        if charge_tolerance is not UNSET:
            field_dict["charge_tolerance"] = charge_tolerance
        if charge_tolerance_bp is not UNSET:
            field_dict["charge_tolerance_bp"] = charge_tolerance_bp
        if max_group_size is not UNSET:
            field_dict["max_group_size"] = max_group_size
        if review_amount_only_below is not UNSET:
            field_dict["review_amount_only_below"] = review_amount_only_below

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date_window_days = d.pop("date_window_days", UNSET)

        charge_tolerance = d.pop("charge_tolerance", UNSET)

        charge_tolerance_bp = d.pop("charge_tolerance_bp", UNSET)

        max_group_size = d.pop("max_group_size", UNSET)

        def _parse_review_amount_only_below(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        review_amount_only_below = _parse_review_amount_only_below(d.pop("review_amount_only_below", UNSET))

        matching_settings = cls(
            date_window_days=date_window_days,
            charge_tolerance=charge_tolerance,
            charge_tolerance_bp=charge_tolerance_bp,
            max_group_size=max_group_size,
            review_amount_only_below=review_amount_only_below,
        )

        return matching_settings
