from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.accrued_out import AccruedOut


T = TypeVar("T", bound="AccrualOut")


@_attrs_define
class AccrualOut:
    as_of: datetime.date
    loans: int
    """ loans that accrued interest or penalty in this run """
    accrued: list[AccruedOut]
    """ interest and penalty posted, per currency """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        loans = self.loans

        accrued = []
        for accrued_item_data in self.accrued:
            accrued_item = accrued_item_data.to_dict()
            accrued.append(accrued_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "loans": loans,
                "accrued": accrued,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.accrued_out import AccruedOut  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        loans = d.pop("loans")

        accrued = []
        _accrued = d.pop("accrued")
        for accrued_item_data in _accrued:
            accrued_item = AccruedOut.from_dict(accrued_item_data)

            accrued.append(accrued_item)

        accrual_out = cls(
            as_of=as_of,
            loans=loans,
            accrued=accrued,
        )

        accrual_out.additional_properties = d
        return accrual_out

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
