from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MarginCallOut")


@_attrs_define
class MarginCallOut:
    id: UUID
    opened_on: datetime.date
    cure_by: datetime.date
    ltv: str
    valuation: str
    """ Decimal amount in major units, as a string """
    outstanding: str
    """ Decimal amount in major units, as a string """
    shortfall: str
    """ repay this much ... """
    collateral: str
    """ ... or add collateral worth this much after haircut """
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        opened_on = self.opened_on.isoformat()

        cure_by = self.cure_by.isoformat()

        ltv = self.ltv

        valuation = self.valuation

        outstanding = self.outstanding

        shortfall = self.shortfall

        collateral = self.collateral

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "opened_on": opened_on,
                "cure_by": cure_by,
                "ltv": ltv,
                "valuation": valuation,
                "outstanding": outstanding,
                "shortfall": shortfall,
                "collateral": collateral,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        opened_on = datetime.date.fromisoformat(d.pop("opened_on"))

        cure_by = datetime.date.fromisoformat(d.pop("cure_by"))

        ltv = d.pop("ltv")

        valuation = d.pop("valuation")

        outstanding = d.pop("outstanding")

        shortfall = d.pop("shortfall")

        collateral = d.pop("collateral")

        status = d.pop("status")

        margin_call_out = cls(
            id=id,
            opened_on=opened_on,
            cure_by=cure_by,
            ltv=ltv,
            valuation=valuation,
            outstanding=outstanding,
            shortfall=shortfall,
            collateral=collateral,
            status=status,
        )

        margin_call_out.additional_properties = d
        return margin_call_out

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
