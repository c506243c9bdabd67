from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ingest_report_out_match import IngestReportOutMatch
    from ..models.rejected_out import RejectedOut


T = TypeVar("T", bound="IngestReportOut")


@_attrs_define
class IngestReportOut:
    kind: str
    platform_code: str
    inserted: int
    duplicates: int
    rejected_total: int
    rejected: list[RejectedOut]
    """ at most 1,000 listed for a file; every reject is held (GET /v1/trade-data/rejects) """
    match: IngestReportOutMatch
    """ three-document match status of the orders this call (re)matched """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        platform_code = self.platform_code

        inserted = self.inserted

        duplicates = self.duplicates

        rejected_total = self.rejected_total

        rejected = []
        for rejected_item_data in self.rejected:
            rejected_item = rejected_item_data.to_dict()
            rejected.append(rejected_item)

        match = self.match.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "platform_code": platform_code,
                "inserted": inserted,
                "duplicates": duplicates,
                "rejected_total": rejected_total,
                "rejected": rejected,
                "match": match,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ingest_report_out_match import IngestReportOutMatch  # noqa: PLC0415
        from ..models.rejected_out import RejectedOut  # noqa: PLC0415

        d = dict(src_dict)
        kind = d.pop("kind")

        platform_code = d.pop("platform_code")

        inserted = d.pop("inserted")

        duplicates = d.pop("duplicates")

        rejected_total = d.pop("rejected_total")

        rejected = []
        _rejected = d.pop("rejected")
        for rejected_item_data in _rejected:
            rejected_item = RejectedOut.from_dict(rejected_item_data)

            rejected.append(rejected_item)

        match = IngestReportOutMatch.from_dict(d.pop("match"))

        ingest_report_out = cls(
            kind=kind,
            platform_code=platform_code,
            inserted=inserted,
            duplicates=duplicates,
            rejected_total=rejected_total,
            rejected=rejected,
            match=match,
        )

        ingest_report_out.additional_properties = d
        return ingest_report_out

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
