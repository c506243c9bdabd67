from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="IdNumberSearchIn")


@_attrs_define
class IdNumberSearchIn:
    id_number: str

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id_number": id_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number = d.pop("id_number")

        id_number_search_in = cls(
            id_number=id_number,
        )

        return id_number_search_in
