from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.lpr_in_tenor import LprInTenor, check_lpr_in_tenor

T = TypeVar("T", bound="LprIn")


@_attrs_define
class LprIn:
    tenor: LprInTenor
    effective_date: datetime.date
    rate: str

    def to_dict(self) -> dict[str, Any]:
        tenor: str = self.tenor

        effective_date = self.effective_date.isoformat()

        rate = self.rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tenor": tenor,
                "effective_date": effective_date,
                "rate": rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tenor = check_lpr_in_tenor(d.pop("tenor"))

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        rate = d.pop("rate")

        lpr_in = cls(
            tenor=tenor,
            effective_date=effective_date,
            rate=rate,
        )

        return lpr_in
