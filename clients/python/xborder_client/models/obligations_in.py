from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.obligation_in import ObligationIn


T = TypeVar("T", bound="ObligationsIn")


@_attrs_define
class ObligationsIn:
    obligations: list[ObligationIn]

    def to_dict(self) -> dict[str, Any]:
        obligations = []
        for obligations_item_data in self.obligations:
            obligations_item = obligations_item_data.to_dict()
            obligations.append(obligations_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "obligations": obligations,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.obligation_in import ObligationIn  # noqa: PLC0415

        d = dict(src_dict)
        obligations = []
        _obligations = d.pop("obligations")
        for obligations_item_data in _obligations:
            obligations_item = ObligationIn.from_dict(obligations_item_data)

            obligations.append(obligations_item)

        obligations_in = cls(
            obligations=obligations,
        )

        return obligations_in
