from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MatchIn")


@_attrs_define
class MatchIn:
    order_ids: list[UUID] | None | Unset = UNSET
    """ default: all of the institution's orders """

    def to_dict(self) -> dict[str, Any]:
        order_ids: list[str] | None | Unset
        if isinstance(self.order_ids, Unset):
            order_ids = UNSET
        elif isinstance(self.order_ids, list):
            order_ids = []
            for order_ids_type_0_item_data in self.order_ids:
                order_ids_type_0_item = str(order_ids_type_0_item_data)
                order_ids.append(order_ids_type_0_item)

        else:
            order_ids = self.order_ids

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if order_ids is not UNSET:
            field_dict["order_ids"] = order_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_order_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                order_ids_type_0 = []
                _order_ids_type_0 = data
                for order_ids_type_0_item_data in _order_ids_type_0:
                    order_ids_type_0_item = UUID(order_ids_type_0_item_data)

                    order_ids_type_0.append(order_ids_type_0_item)

                return order_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        order_ids = _parse_order_ids(d.pop("order_ids", UNSET))

        match_in = cls(
            order_ids=order_ids,
        )

        return match_in
