from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MarginCallOpened")


@_attrs_define
class MarginCallOpened:
    pledge_id: str
    id: str
    opened_on: str
    cure_by: str
    ltv: str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pledge_id = self.pledge_id

        id = self.id

        opened_on = self.opened_on

        cure_by = self.cure_by

        ltv = self.ltv

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pledge_id": pledge_id,
                "id": id,
                "opened_on": opened_on,
                "cure_by": cure_by,
                "ltv": ltv,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pledge_id = d.pop("pledge_id")

        id = d.pop("id")

        opened_on = d.pop("opened_on")

        cure_by = d.pop("cure_by")

        ltv = d.pop("ltv")

        status = d.pop("status")

        margin_call_opened = cls(
            pledge_id=pledge_id,
            id=id,
            opened_on=opened_on,
            cure_by=cure_by,
            ltv=ltv,
            status=status,
        )

        margin_call_opened.additional_properties = d
        return margin_call_opened

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
