from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reverse_in_metadata import ReverseInMetadata


T = TypeVar("T", bound="ReverseIn")


@_attrs_define
class ReverseIn:
    effective_date: datetime.date | None | Unset = UNSET
    """ value date (YYYY-MM-DD) """
    description: str | Unset = ""
    metadata: ReverseInMetadata | Unset = UNSET
    """ Free JSON object (at most 8 KiB) """

    def to_dict(self) -> dict[str, Any]:
        effective_date: None | str | Unset
        if isinstance(self.effective_date, Unset):
            effective_date = UNSET
        elif isinstance(self.effective_date, datetime.date):
            effective_date = self.effective_date.isoformat()
        else:
            effective_date = self.effective_date

        description = self.description

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if effective_date is not UNSET:
            field_dict["effective_date"] = effective_date
        if description is not UNSET:
            field_dict["description"] = description
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reverse_in_metadata import ReverseInMetadata  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_effective_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_date_type_0 = datetime.date.fromisoformat(data)

                return effective_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        effective_date = _parse_effective_date(d.pop("effective_date", UNSET))

        description = d.pop("description", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: ReverseInMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = ReverseInMetadata.from_dict(_metadata)

        reverse_in = cls(
            effective_date=effective_date,
            description=description,
            metadata=metadata,
        )

        return reverse_in
