from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TradeDataIngested")


@_attrs_define
class TradeDataIngested:
    kind: str
    """ orders, waybills, payments or refunds """
    inserted: int
    duplicates: int
    rejected: int
    platform_code: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        inserted = self.inserted

        duplicates = self.duplicates

        rejected = self.rejected

        platform_code: None | str | Unset
        if isinstance(self.platform_code, Unset):
            platform_code = UNSET
        else:
            platform_code = self.platform_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "inserted": inserted,
                "duplicates": duplicates,
                "rejected": rejected,
            }
        )
        if platform_code is not UNSET:
            field_dict["platform_code"] = platform_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        inserted = d.pop("inserted")

        duplicates = d.pop("duplicates")

        rejected = d.pop("rejected")

        def _parse_platform_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        platform_code = _parse_platform_code(d.pop("platform_code", UNSET))

        trade_data_ingested = cls(
            kind=kind,
            inserted=inserted,
            duplicates=duplicates,
            rejected=rejected,
            platform_code=platform_code,
        )

        trade_data_ingested.additional_properties = d
        return trade_data_ingested

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
