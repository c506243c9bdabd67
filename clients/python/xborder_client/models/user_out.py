from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserOut")


@_attrs_define
class UserOut:
    id: UUID
    username: str
    role: str
    merchant_ref: None | str
    disabled: bool
    created_at: datetime.datetime
    pending: bool | Unset = False
    """ created under four eyes and not yet approved: cannot log in until a second admin approves it """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        username = self.username

        role = self.role

        merchant_ref: None | str
        merchant_ref = self.merchant_ref

        disabled = self.disabled

        created_at = self.created_at.isoformat()

        pending = self.pending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "username": username,
                "role": role,
                "merchant_ref": merchant_ref,
                "disabled": disabled,
                "created_at": created_at,
            }
        )
        if pending is not UNSET:
            field_dict["pending"] = pending

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        username = d.pop("username")

        role = d.pop("role")

        def _parse_merchant_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        merchant_ref = _parse_merchant_ref(d.pop("merchant_ref"))

        disabled = d.pop("disabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        pending = d.pop("pending", UNSET)

        user_out = cls(
            id=id,
            username=username,
            role=role,
            merchant_ref=merchant_ref,
            disabled=disabled,
            created_at=created_at,
            pending=pending,
        )

        user_out.additional_properties = d
        return user_out

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
