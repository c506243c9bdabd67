from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TokenOut")


@_attrs_define
class TokenOut:
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int
    role: str
    merchant_ref: None | str
    signing_secret: str
    """ HMAC secret of this session's request signatures (X-Xborder-Timestamp, X-Xborder-Signature), as for API
    keys: required on every request when the institution requires signed requests. Shown once, never stored. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        token_type = self.token_type

        expires_in = self.expires_in

        role = self.role

        merchant_ref: None | str
        merchant_ref = self.merchant_ref

        signing_secret = self.signing_secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "token_type": token_type,
                "expires_in": expires_in,
                "role": role,
                "merchant_ref": merchant_ref,
                "signing_secret": signing_secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        token_type = cast(Literal["bearer"], d.pop("token_type"))
        if token_type != "bearer":
            raise ValueError(f"token_type must match const 'bearer', got '{token_type}'")

        expires_in = d.pop("expires_in")

        role = d.pop("role")

        def _parse_merchant_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        merchant_ref = _parse_merchant_ref(d.pop("merchant_ref"))

        signing_secret = d.pop("signing_secret")

        token_out = cls(
            access_token=access_token,
            token_type=token_type,
            expires_in=expires_in,
            role=role,
            merchant_ref=merchant_ref,
            signing_secret=signing_secret,
        )

        token_out.additional_properties = d
        return token_out

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
