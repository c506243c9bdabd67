from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.user_in_role import UserInRole, check_user_in_role
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserIn")


@_attrs_define
class UserIn:
    username: str
    """ 1..100 characters, no control characters """
    password: str
    """ the password policy applies (else 422 `weak_password` with the reasons): at least 12 characters
    (XBORDER_PASSWORD_MIN_LENGTH), not the user name or institution code, not a common or easily guessed password
    (zxcvbn score XBORDER_PASSWORD_MIN_SCORE, default 3) """
    role: UserInRole
    merchant_ref: None | str | Unset = UNSET
    """ the merchant an `sme` user is bound to: required for `sme` (else 422 `merchant_ref_required`), refused for
    other roles (422 `merchant_ref_not_allowed`) """

    def to_dict(self) -> dict[str, Any]:
        username = self.username

        password = self.password

        role: str = self.role

        merchant_ref: None | str | Unset
        if isinstance(self.merchant_ref, Unset):
            merchant_ref = UNSET
        else:
            merchant_ref = self.merchant_ref

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "username": username,
                "password": password,
                "role": role,
            }
        )
        if merchant_ref is not UNSET:
            field_dict["merchant_ref"] = merchant_ref

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        username = d.pop("username")

        password = d.pop("password")

        role = check_user_in_role(d.pop("role"))

        def _parse_merchant_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        merchant_ref = _parse_merchant_ref(d.pop("merchant_ref", UNSET))

        user_in = cls(
            username=username,
            password=password,
            role=role,
            merchant_ref=merchant_ref,
        )

        return user_in
