from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.csv_mapping_in_mapping import CsvMappingInMapping


T = TypeVar("T", bound="CsvMappingIn")


@_attrs_define
class CsvMappingIn:
    name: str
    mapping: CsvMappingInMapping
    """ column mapping: delimiter, date_format, decimal_separator, columns {amount | debit+credit, value_date,
    booking_date, currency, end_to_end_ref, reference, description, account}, … """

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        mapping = self.mapping.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "mapping": mapping,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.csv_mapping_in_mapping import CsvMappingInMapping  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        mapping = CsvMappingInMapping.from_dict(d.pop("mapping"))

        csv_mapping_in = cls(
            name=name,
            mapping=mapping,
        )

        return csv_mapping_in
