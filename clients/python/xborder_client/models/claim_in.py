from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClaimIn")


@_attrs_define
class ClaimIn:
    amount: str
    """ in the receivable's currency, at most the receivable """
    filed_on: datetime.date | None | Unset = UNSET
    """ within the value-date window: back-dated at most 30 days (configurable), never after today in China time;
    default today """

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        filed_on: None | str | Unset
        if isinstance(self.filed_on, Unset):
            filed_on = UNSET
        elif isinstance(self.filed_on, datetime.date):
            filed_on = self.filed_on.isoformat()
        else:
            filed_on = self.filed_on

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
            }
        )
        if filed_on is not UNSET:
            field_dict["filed_on"] = filed_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_filed_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                filed_on_type_0 = datetime.date.fromisoformat(data)

                return filed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        filed_on = _parse_filed_on(d.pop("filed_on", UNSET))

        claim_in = cls(
            amount=amount,
            filed_on=filed_on,
        )

        return claim_in
