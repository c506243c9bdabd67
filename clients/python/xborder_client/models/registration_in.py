from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RegistrationIn")


@_attrs_define
class RegistrationIn:
    registered_on: datetime.date | None | Unset = UNSET
    """ default: today (China Standard Time) """

    def to_dict(self) -> dict[str, Any]:
        registered_on: None | str | Unset
        if isinstance(self.registered_on, Unset):
            registered_on = UNSET
        elif isinstance(self.registered_on, datetime.date):
            registered_on = self.registered_on.isoformat()
        else:
            registered_on = self.registered_on

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if registered_on is not UNSET:
            field_dict["registered_on"] = registered_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_registered_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                registered_on_type_0 = datetime.date.fromisoformat(data)

                return registered_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        registered_on = _parse_registered_on(d.pop("registered_on", UNSET))

        registration_in = cls(
            registered_on=registered_on,
        )

        return registration_in
