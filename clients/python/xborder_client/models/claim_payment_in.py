from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClaimPaymentIn")


@_attrs_define
class ClaimPaymentIn:
    amount: str
    """ in the receivable's currency, at most the claim """
    paid_on: datetime.date | None | Unset = UNSET
    """ within the value-date window: back-dated at most 30 days (configurable), never after today in China time;
    default today """

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        paid_on: None | str | Unset
        if isinstance(self.paid_on, Unset):
            paid_on = UNSET
        elif isinstance(self.paid_on, datetime.date):
            paid_on = self.paid_on.isoformat()
        else:
            paid_on = self.paid_on

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
            }
        )
        if paid_on is not UNSET:
            field_dict["paid_on"] = paid_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_paid_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_on_type_0 = datetime.date.fromisoformat(data)

                return paid_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        paid_on = _parse_paid_on(d.pop("paid_on", UNSET))

        claim_payment_in = cls(
            amount=amount,
            paid_on=paid_on,
        )

        return claim_payment_in
