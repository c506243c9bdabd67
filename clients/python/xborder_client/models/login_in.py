from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LoginIn")


@_attrs_define
class LoginIn:
    institution: str
    """ institution code """
    username: str
    password: str

    def to_dict(self) -> dict[str, Any]:
        institution = self.institution

        username = self.username

        password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "institution": institution,
                "username": username,
                "password": password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        institution = d.pop("institution")

        username = d.pop("username")

        password = d.pop("password")

        login_in = cls(
            institution=institution,
            username=username,
            password=password,
        )

        return login_in
