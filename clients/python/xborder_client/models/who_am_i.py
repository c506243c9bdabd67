from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WhoAmI")


@_attrs_define
class WhoAmI:
    institution_id: UUID
    actor_type: str
    actor_id: UUID
    role: str
    merchant_ref: None | str
    platform_code: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        institution_id = str(self.institution_id)

        actor_type = self.actor_type

        actor_id = str(self.actor_id)

        role = self.role

        merchant_ref: None | str
        merchant_ref = self.merchant_ref

        platform_code: None | str
        platform_code = self.platform_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "institution_id": institution_id,
                "actor_type": actor_type,
                "actor_id": actor_id,
                "role": role,
                "merchant_ref": merchant_ref,
                "platform_code": platform_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        institution_id = UUID(d.pop("institution_id"))

        actor_type = d.pop("actor_type")

        actor_id = UUID(d.pop("actor_id"))

        role = d.pop("role")

        def _parse_merchant_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        merchant_ref = _parse_merchant_ref(d.pop("merchant_ref"))

        def _parse_platform_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        platform_code = _parse_platform_code(d.pop("platform_code"))

        who_am_i = cls(
            institution_id=institution_id,
            actor_type=actor_type,
            actor_id=actor_id,
            role=role,
            merchant_ref=merchant_ref,
            platform_code=platform_code,
        )

        who_am_i.additional_properties = d
        return who_am_i

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
