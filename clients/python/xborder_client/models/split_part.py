from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SplitPart")


@_attrs_define
class SplitPart:
    amount_minor: int
    """ signed minor units, same sign as the line """

    def to_dict(self) -> dict[str, Any]:
        amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount_minor": amount_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount_minor = d.pop("amount_minor")

        split_part = cls(
            amount_minor=amount_minor,
        )

        return split_part
