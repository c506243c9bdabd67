from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.user_role_in_role import UserRoleInRole, check_user_role_in_role

T = TypeVar("T", bound="UserRoleIn")


@_attrs_define
class UserRoleIn:
    role: UserRoleInRole
    """ the new staff role (an SME user keeps its role) """

    def to_dict(self) -> dict[str, Any]:
        role: str = self.role

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = check_user_role_in_role(d.pop("role"))

        user_role_in = cls(
            role=role,
        )

        return user_role_in
