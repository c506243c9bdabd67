from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RepaymentIn")


@_attrs_define
class RepaymentIn:
    amount: str
    """ in the loan's currency, at most its decimals; not zero """
    reference: None | str | Unset = UNSET
    """ default: the Idempotency-Key """
    value_date: datetime.date | None | Unset = UNSET
    """ value date: back-dated at most 30 days (XBORDER_FINANCING_BACKDATE_DAYS), never after today in China time;
    default today; not before the disbursement nor a day already accrued """

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        value_date: None | str | Unset
        if isinstance(self.value_date, Unset):
            value_date = UNSET
        elif isinstance(self.value_date, datetime.date):
            value_date = self.value_date.isoformat()
        else:
            value_date = self.value_date

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
            }
        )
        if reference is not UNSET:
            field_dict["reference"] = reference
        if value_date is not UNSET:
            field_dict["value_date"] = value_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_value_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                value_date_type_0 = datetime.date.fromisoformat(data)

                return value_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        value_date = _parse_value_date(d.pop("value_date", UNSET))

        repayment_in = cls(
            amount=amount,
            reference=reference,
            value_date=value_date,
        )

        return repayment_in
