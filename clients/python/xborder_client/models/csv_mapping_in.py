from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.csv_mapping_spec import CsvMappingSpec


T = TypeVar("T", bound="CsvMappingIn")


@_attrs_define
class CsvMappingIn:
    name: str
    mapping: CsvMappingSpec
    """ How to read a bank's CSV export.  Rules across settings (422 `csv_mapping_inconsistent` when broken): map
    `amount`, or both
    `debit` and `credit`; a `currency` column or `fixed_currency` (exactly one); an `account` column or
    `fixed_account` (exactly one);
    `booking_date` or `value_date`; header names when `has_header` is true, 0-based column indexes when false;
    `delimiter` differs from
    `quotechar` and `thousands_separator` from `decimal_separator`; `encoding` is a known codec; `date_format`
    round-trips a date. """

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
        from ..models.csv_mapping_spec import CsvMappingSpec  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        mapping = CsvMappingSpec.from_dict(d.pop("mapping"))

        csv_mapping_in = cls(
            name=name,
            mapping=mapping,
        )

        return csv_mapping_in
