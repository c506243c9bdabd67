from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyIssued")


@_attrs_define
class ApiKeyIssued:
    id: UUID
    prefix: str
    name: str
    role: str
    platform_code: None | str
    scopes: list[str]
    """ the scopes the key holds (a rotation copies them) """
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    replaced_by: None | UUID
    key: str
    """ the API key; shown only now """
    signing_secret: str
    """ HMAC request-signing secret; shown only now """
    pending: bool | Unset = False
    """ issued under four eyes and not yet approved: it authenticates as 401 until a second admin approves it """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        prefix = self.prefix

        name = self.name

        role = self.role

        platform_code: None | str
        platform_code = self.platform_code

        scopes = self.scopes

        created_at = self.created_at.isoformat()

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        replaced_by: None | str
        if isinstance(self.replaced_by, UUID):
            replaced_by = str(self.replaced_by)
        else:
            replaced_by = self.replaced_by

        key = self.key

        signing_secret = self.signing_secret

        pending = self.pending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "prefix": prefix,
                "name": name,
                "role": role,
                "platform_code": platform_code,
                "scopes": scopes,
                "created_at": created_at,
                "expires_at": expires_at,
                "revoked_at": revoked_at,
                "replaced_by": replaced_by,
                "key": key,
                "signing_secret": signing_secret,
            }
        )
        if pending is not UNSET:
            field_dict["pending"] = pending

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        prefix = d.pop("prefix")

        name = d.pop("name")

        role = d.pop("role")

        def _parse_platform_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        platform_code = _parse_platform_code(d.pop("platform_code"))

        scopes = cast(list[str], d.pop("scopes"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        def _parse_replaced_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                replaced_by_type_0 = UUID(data)

                return replaced_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        replaced_by = _parse_replaced_by(d.pop("replaced_by"))

        key = d.pop("key")

        signing_secret = d.pop("signing_secret")

        pending = d.pop("pending", UNSET)

        api_key_issued = cls(
            id=id,
            prefix=prefix,
            name=name,
            role=role,
            platform_code=platform_code,
            scopes=scopes,
            created_at=created_at,
            expires_at=expires_at,
            revoked_at=revoked_at,
            replaced_by=replaced_by,
            key=key,
            signing_secret=signing_secret,
            pending=pending,
        )

        api_key_issued.additional_properties = d
        return api_key_issued

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
