from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="SpreadOut")


@_attrs_define
class SpreadOut:
    base: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    quote: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    spread_bp: int
    updated_at: datetime.datetime
    updated_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base: str = self.base

        quote: str = self.quote

        spread_bp = self.spread_bp

        updated_at = self.updated_at.isoformat()

        updated_by: None | str | Unset
        if isinstance(self.updated_by, Unset):
            updated_by = UNSET
        else:
            updated_by = self.updated_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base": base,
                "quote": quote,
                "spread_bp": spread_bp,
                "updated_at": updated_at,
            }
        )
        if updated_by is not UNSET:
            field_dict["updated_by"] = updated_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base = check_currency(d.pop("base"))

        quote = check_currency(d.pop("quote"))

        spread_bp = d.pop("spread_bp")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_updated_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_by = _parse_updated_by(d.pop("updated_by", UNSET))

        spread_out = cls(
            base=base,
            quote=quote,
            spread_bp=spread_bp,
            updated_at=updated_at,
            updated_by=updated_by,
        )

        spread_out.additional_properties = d
        return spread_out

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
