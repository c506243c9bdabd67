from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RotateIn")


@_attrs_define
class RotateIn:
    grace_seconds: int | Unset = 0
    """ keep the old key valid this long """
    confirm_self: bool | Unset = False
    """ true to act on the very key that authenticates this request (it stops working); without it such a request is
    refused with 409 `confirm_self_required` (needed when rotating the calling key with no grace period) """

    def to_dict(self) -> dict[str, Any]:
        grace_seconds = self.grace_seconds

        confirm_self = self.confirm_self

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grace_seconds is not UNSET:
            field_dict["grace_seconds"] = grace_seconds
        if confirm_self is not UNSET:
            field_dict["confirm_self"] = confirm_self

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grace_seconds = d.pop("grace_seconds", UNSET)

        confirm_self = d.pop("confirm_self", UNSET)

        rotate_in = cls(
            grace_seconds=grace_seconds,
            confirm_self=confirm_self,
        )

        return rotate_in
