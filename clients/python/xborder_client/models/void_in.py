from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.void_in_metadata import VoidInMetadata


T = TypeVar("T", bound="VoidIn")


@_attrs_define
class VoidIn:
    description: str | Unset = ""
    metadata: VoidInMetadata | Unset = UNSET
    """ Free JSON object (at most 8 KiB) """

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.void_in_metadata import VoidInMetadata  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: VoidInMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = VoidInMetadata.from_dict(_metadata)

        void_in = cls(
            description=description,
            metadata=metadata,
        )

        return void_in
