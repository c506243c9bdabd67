from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.aging_bucket_out import AgingBucketOut
    from ..models.flagged_total_out import FlaggedTotalOut


T = TypeVar("T", bound="AgingReportOut")


@_attrs_define
class AgingReportOut:
    as_of: datetime.date
    bucket_labels: list[str]
    buckets: list[AgingBucketOut]
    flagged_count: int
    flagged: list[FlaggedTotalOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        bucket_labels = self.bucket_labels

        buckets = []
        for buckets_item_data in self.buckets:
            buckets_item = buckets_item_data.to_dict()
            buckets.append(buckets_item)

        flagged_count = self.flagged_count

        flagged = []
        for flagged_item_data in self.flagged:
            flagged_item = flagged_item_data.to_dict()
            flagged.append(flagged_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "bucket_labels": bucket_labels,
                "buckets": buckets,
                "flagged_count": flagged_count,
                "flagged": flagged,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.aging_bucket_out import AgingBucketOut  # noqa: PLC0415
        from ..models.flagged_total_out import FlaggedTotalOut  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        bucket_labels = cast(list[str], d.pop("bucket_labels"))

        buckets = []
        _buckets = d.pop("buckets")
        for buckets_item_data in _buckets:
            buckets_item = AgingBucketOut.from_dict(buckets_item_data)

            buckets.append(buckets_item)

        flagged_count = d.pop("flagged_count")

        flagged = []
        _flagged = d.pop("flagged")
        for flagged_item_data in _flagged:
            flagged_item = FlaggedTotalOut.from_dict(flagged_item_data)

            flagged.append(flagged_item)

        aging_report_out = cls(
            as_of=as_of,
            bucket_labels=bucket_labels,
            buckets=buckets,
            flagged_count=flagged_count,
            flagged=flagged,
        )

        aging_report_out.additional_properties = d
        return aging_report_out

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
