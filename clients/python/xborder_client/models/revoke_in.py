from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RevokeIn")


@_attrs_define
class RevokeIn:
    confirm_self: bool | Unset = False
    """ true to act on the very key that authenticates this request (it stops working); without it such a request is
    refused with 409 `confirm_self_required` """

    def to_dict(self) -> dict[str, Any]:
        confirm_self = self.confirm_self

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if confirm_self is not UNSET:
            field_dict["confirm_self"] = confirm_self

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        confirm_self = d.pop("confirm_self", UNSET)

        revoke_in = cls(
            confirm_self=confirm_self,
        )

        return revoke_in
