from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
    """ open | cured | liquidated | closed """
    closed_at: datetime.datetime | None | Unset = UNSET
    closed_by: None | str | Unset = UNSET
    """ who closed it: the user who cured it by pledging more receipts, else `collateral` (a revaluation or
    repayment) """
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

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        closed_by: None | str | Unset
        if isinstance(self.closed_by, Unset):
            closed_by = UNSET
        else:
            closed_by = self.closed_by

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
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if closed_by is not UNSET:
            field_dict["closed_by"] = closed_by

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

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_closed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        closed_by = _parse_closed_by(d.pop("closed_by", UNSET))

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
            closed_at=closed_at,
            closed_by=closed_by,
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
