from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.csv_mapping_out_mapping import CsvMappingOutMapping


T = TypeVar("T", bound="CsvMappingOut")


@_attrs_define
class CsvMappingOut:
    name: str
    mapping: CsvMappingOutMapping
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        mapping = self.mapping.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "mapping": mapping,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.csv_mapping_out_mapping import CsvMappingOutMapping  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        mapping = CsvMappingOutMapping.from_dict(d.pop("mapping"))

        csv_mapping_out = cls(
            name=name,
            mapping=mapping,
        )

        csv_mapping_out.additional_properties = d
        return csv_mapping_out

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
