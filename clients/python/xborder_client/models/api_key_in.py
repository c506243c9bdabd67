from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_key_in_role import ApiKeyInRole, check_api_key_in_role
from ..models.api_key_in_scopes_type_0_item import ApiKeyInScopesType0Item, check_api_key_in_scopes_type_0_item
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyIn")


@_attrs_define
class ApiKeyIn:
    name: str | Unset = "default"
    role: ApiKeyInRole | Unset = "system"
    platform_code: None | str | Unset = UNSET
    """ the platform a `platform` key is bound to: required for that role (else 422 `platform_code_required`) """
    scopes: list[ApiKeyInScopesType0Item] | None | Unset = UNSET
    """ what the key may do (see the README's scopes table); a scope not in the list is 422 `unknown_scope` naming
    it. Absent: a `system` key gets the read-only scopes (every `*:read`); `keys:manage` and `users:manage` are
    never given unless listed. A `platform` key always has exactly `tradedata:write` (any other scope is 422
    `scope_not_allowed`). """

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

        scopes: list[str] | None | Unset
        if isinstance(self.scopes, Unset):
            scopes = UNSET
        elif isinstance(self.scopes, list):
            scopes = []
            for scopes_type_0_item_data in self.scopes:
                scopes_type_0_item: str = scopes_type_0_item_data
                scopes.append(scopes_type_0_item)

        else:
            scopes = self.scopes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if role is not UNSET:
            field_dict["role"] = role
        if platform_code is not UNSET:
            field_dict["platform_code"] = platform_code
        if scopes is not UNSET:
            field_dict["scopes"] = scopes

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

        def _parse_scopes(data: object) -> list[ApiKeyInScopesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scopes_type_0 = []
                _scopes_type_0 = data
                for scopes_type_0_item_data in _scopes_type_0:
                    scopes_type_0_item = check_api_key_in_scopes_type_0_item(scopes_type_0_item_data)

                    scopes_type_0.append(scopes_type_0_item)

                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ApiKeyInScopesType0Item] | None | Unset, data)

        scopes = _parse_scopes(d.pop("scopes", UNSET))

        api_key_in = cls(
            name=name,
            role=role,
            platform_code=platform_code,
            scopes=scopes,
        )

        return api_key_in
