from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="VerifyIn")


@_attrs_define
class VerifyIn:
    verified_by: str
    """ who at the issuing warehouse confirmed the receipt """

    def to_dict(self) -> dict[str, Any]:
        verified_by = self.verified_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "verified_by": verified_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        verified_by = d.pop("verified_by")

        verify_in = cls(
            verified_by=verified_by,
        )

        return verify_in
