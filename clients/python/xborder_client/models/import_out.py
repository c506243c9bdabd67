from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.imported_statement_out import ImportedStatementOut


T = TypeVar("T", bound="ImportOut")


@_attrs_define
class ImportOut:
    filename: str
    sha256: str
    bytes_: int
    lines_imported: int
    duplicates_skipped: int
    statements: list[ImportedStatementOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filename = self.filename

        sha256 = self.sha256

        bytes_ = self.bytes_

        lines_imported = self.lines_imported

        duplicates_skipped = self.duplicates_skipped

        statements = []
        for statements_item_data in self.statements:
            statements_item = statements_item_data.to_dict()
            statements.append(statements_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filename": filename,
                "sha256": sha256,
                "bytes": bytes_,
                "lines_imported": lines_imported,
                "duplicates_skipped": duplicates_skipped,
                "statements": statements,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.imported_statement_out import ImportedStatementOut  # noqa: PLC0415

        d = dict(src_dict)
        filename = d.pop("filename")

        sha256 = d.pop("sha256")

        bytes_ = d.pop("bytes")

        lines_imported = d.pop("lines_imported")

        duplicates_skipped = d.pop("duplicates_skipped")

        statements = []
        _statements = d.pop("statements")
        for statements_item_data in _statements:
            statements_item = ImportedStatementOut.from_dict(statements_item_data)

            statements.append(statements_item)

        import_out = cls(
            filename=filename,
            sha256=sha256,
            bytes_=bytes_,
            lines_imported=lines_imported,
            duplicates_skipped=duplicates_skipped,
            statements=statements,
        )

        import_out.additional_properties = d
        return import_out

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
