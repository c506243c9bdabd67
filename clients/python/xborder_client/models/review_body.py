from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReviewBody")


@_attrs_define
class ReviewBody:
    proof: str
    """ documentary proof of a genuine current-account transaction """

    def to_dict(self) -> dict[str, Any]:
        proof = self.proof

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "proof": proof,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        proof = d.pop("proof")

        review_body = cls(
            proof=proof,
        )

        return review_body
