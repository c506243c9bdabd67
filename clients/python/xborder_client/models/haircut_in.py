from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="HaircutIn")


@_attrs_define
class HaircutIn:
    goods_type: str
    """ printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank;
    leading and trailing spaces are dropped """
    haircut: str
    """ Decimal ratio below 1, as a string """

    def to_dict(self) -> dict[str, Any]:
        goods_type = self.goods_type

        haircut = self.haircut

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "goods_type": goods_type,
                "haircut": haircut,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        goods_type = d.pop("goods_type")

        haircut = d.pop("haircut")

        haircut_in = cls(
            goods_type=goods_type,
            haircut=haircut,
        )

        return haircut_in
