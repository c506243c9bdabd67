from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CureIn")


@_attrs_define
class CureIn:
    receipt_ids: list[UUID]
    """ verified warehouse receipts of the loan's customer, not pledged anywhere: pledged to the loan when, together
    with what it holds, they bring its LTV back to the limit """
    as_of: datetime.date | None | Unset = UNSET
    """ valuation date, within the value-date window: back-dated at most 30 days (configurable), never after today
    in China time; default today """

    def to_dict(self) -> dict[str, Any]:
        receipt_ids = []
        for receipt_ids_item_data in self.receipt_ids:
            receipt_ids_item = str(receipt_ids_item_data)
            receipt_ids.append(receipt_ids_item)

        as_of: None | str | Unset
        if isinstance(self.as_of, Unset):
            as_of = UNSET
        elif isinstance(self.as_of, datetime.date):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "receipt_ids": receipt_ids,
            }
        )
        if as_of is not UNSET:
            field_dict["as_of"] = as_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        receipt_ids = []
        _receipt_ids = d.pop("receipt_ids")
        for receipt_ids_item_data in _receipt_ids:
            receipt_ids_item = UUID(receipt_ids_item_data)

            receipt_ids.append(receipt_ids_item)

        def _parse_as_of(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.date.fromisoformat(data)

                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        as_of = _parse_as_of(d.pop("as_of", UNSET))

        cure_in = cls(
            receipt_ids=receipt_ids,
            as_of=as_of,
        )

        return cure_in
