from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReleaseBody")


@_attrs_define
class ReleaseBody:
    note: str
    """ the evidence checked (contract, invoices, documents) """
    evidence_orders: list[str] | Unset = UNSET
    platform_code: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        note = self.note

        evidence_orders: list[str] | Unset = UNSET
        if not isinstance(self.evidence_orders, Unset):
            evidence_orders = self.evidence_orders

        platform_code: None | str | Unset
        if isinstance(self.platform_code, Unset):
            platform_code = UNSET
        else:
            platform_code = self.platform_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "note": note,
            }
        )
        if evidence_orders is not UNSET:
            field_dict["evidence_orders"] = evidence_orders
        if platform_code is not UNSET:
            field_dict["platform_code"] = platform_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note = d.pop("note")

        evidence_orders = cast(list[str], d.pop("evidence_orders", UNSET))

        def _parse_platform_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        platform_code = _parse_platform_code(d.pop("platform_code", UNSET))

        release_body = cls(
            note=note,
            evidence_orders=evidence_orders,
            platform_code=platform_code,
        )

        return release_body
