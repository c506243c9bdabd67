from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quota_out_directions import QuotaOutDirections


T = TypeVar("T", bound="QuotaOut")


@_attrs_define
class QuotaOut:
    year: int
    subject_to_quota: bool
    directions: QuotaOutDirections
    watch_list_until: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        subject_to_quota = self.subject_to_quota

        directions = self.directions.to_dict()

        watch_list_until: int | None | Unset
        if isinstance(self.watch_list_until, Unset):
            watch_list_until = UNSET
        else:
            watch_list_until = self.watch_list_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "subject_to_quota": subject_to_quota,
                "directions": directions,
            }
        )
        if watch_list_until is not UNSET:
            field_dict["watch_list_until"] = watch_list_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quota_out_directions import QuotaOutDirections  # noqa: PLC0415

        d = dict(src_dict)
        year = d.pop("year")

        subject_to_quota = d.pop("subject_to_quota")

        directions = QuotaOutDirections.from_dict(d.pop("directions"))

        def _parse_watch_list_until(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        watch_list_until = _parse_watch_list_until(d.pop("watch_list_until", UNSET))

        quota_out = cls(
            year=year,
            subject_to_quota=subject_to_quota,
            directions=directions,
            watch_list_until=watch_list_until,
        )

        quota_out.additional_properties = d
        return quota_out

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
