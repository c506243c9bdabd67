from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="OrderAssets")


@_attrs_define
class OrderAssets:
    platform_code: str
    order_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        platform_code = self.platform_code

        order_ids = self.order_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "platform_code": platform_code,
                "order_ids": order_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        platform_code = d.pop("platform_code")

        order_ids = cast(list[str], d.pop("order_ids"))

        order_assets = cls(
            platform_code=platform_code,
            order_ids=order_ids,
        )

        return order_assets
