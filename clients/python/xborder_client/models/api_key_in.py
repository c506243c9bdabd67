from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_key_in_role import ApiKeyInRole, check_api_key_in_role
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyIn")


@_attrs_define
class ApiKeyIn:
    name: str | Unset = "default"
    role: ApiKeyInRole | Unset = "system"
    platform_code: None | str | Unset = UNSET
    """ the platform a `platform` key is bound to: required for that role (else 422 `platform_code_required`) """

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role

        platform_code: None | str | Unset
        if isinstance(self.platform_code, Unset):
            platform_code = UNSET
        else:
            platform_code = self.platform_code

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if role is not UNSET:
            field_dict["role"] = role
        if platform_code is not UNSET:
            field_dict["platform_code"] = platform_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _role = d.pop("role", UNSET)
        role: ApiKeyInRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = check_api_key_in_role(_role)

        def _parse_platform_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        platform_code = _parse_platform_code(d.pop("platform_code", UNSET))

        api_key_in = cls(
            name=name,
            role=role,
            platform_code=platform_code,
        )

        return api_key_in
