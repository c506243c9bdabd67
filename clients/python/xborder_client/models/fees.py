from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Fees")


@_attrs_define
class Fees:
    warehousing: None | str | Unset = UNSET
    logistics: None | str | Unset = UNSET
    tax: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        warehousing: None | str | Unset
        if isinstance(self.warehousing, Unset):
            warehousing = UNSET
        else:
            warehousing = self.warehousing

        logistics: None | str | Unset
        if isinstance(self.logistics, Unset):
            logistics = UNSET
        else:
            logistics = self.logistics

        tax: None | str | Unset
        if isinstance(self.tax, Unset):
            tax = UNSET
        else:
            tax = self.tax

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if warehousing is not UNSET:
            field_dict["warehousing"] = warehousing
        if logistics is not UNSET:
            field_dict["logistics"] = logistics
        if tax is not UNSET:
            field_dict["tax"] = tax

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_warehousing(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        warehousing = _parse_warehousing(d.pop("warehousing", UNSET))

        def _parse_logistics(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logistics = _parse_logistics(d.pop("logistics", UNSET))

        def _parse_tax(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tax = _parse_tax(d.pop("tax", UNSET))

        fees = cls(
            warehousing=warehousing,
            logistics=logistics,
            tax=tax,
        )

        return fees
