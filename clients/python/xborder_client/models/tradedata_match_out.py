from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tradedata_match_out_match import TradedataMatchOutMatch


T = TypeVar("T", bound="TradedataMatchOut")


@_attrs_define
class TradedataMatchOut:
    match: TradedataMatchOutMatch
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        match = self.match.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "match": match,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tradedata_match_out_match import TradedataMatchOutMatch  # noqa: PLC0415

        d = dict(src_dict)
        match = TradedataMatchOutMatch.from_dict(d.pop("match"))

        tradedata_match_out = cls(
            match=match,
        )

        tradedata_match_out.additional_properties = d
        return tradedata_match_out

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
