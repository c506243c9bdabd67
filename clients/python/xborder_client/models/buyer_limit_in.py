from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BuyerLimitIn")


@_attrs_define
class BuyerLimitIn:
    buyer_ref: str
    """ printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank;
    leading and trailing spaces are dropped """
    limit: str
    """ in the policy's currency (0 stops new financing on the buyer) """

    def to_dict(self) -> dict[str, Any]:
        buyer_ref = self.buyer_ref

        limit = self.limit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "buyer_ref": buyer_ref,
                "limit": limit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        buyer_ref = d.pop("buyer_ref")

        limit = d.pop("limit")

        buyer_limit_in = cls(
            buyer_ref=buyer_ref,
            limit=limit,
        )

        return buyer_limit_in
