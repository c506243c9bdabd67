from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.instalment_out_status import InstalmentOutStatus, check_instalment_out_status

T = TypeVar("T", bound="InstalmentOut")


@_attrs_define
class InstalmentOut:
    number: int
    start: datetime.date
    """ first day of the instalment's interest """
    due_date: datetime.date
    principal: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    interest: str
    """ the daily accrual of the instalment's days on the principal then outstanding """
    fee: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    total: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    paid: str
    """ paid so far (repayments less penalty interest, to the earliest instalment due first) """
    status: InstalmentOutStatus
    """ `overdue` once its due date has passed unpaid """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        start = self.start.isoformat()

        due_date = self.due_date.isoformat()

        principal = self.principal

        interest = self.interest

        fee = self.fee

        total = self.total

        paid = self.paid

        status: str = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "start": start,
                "due_date": due_date,
                "principal": principal,
                "interest": interest,
                "fee": fee,
                "total": total,
                "paid": paid,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        start = datetime.date.fromisoformat(d.pop("start"))

        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        principal = d.pop("principal")

        interest = d.pop("interest")

        fee = d.pop("fee")

        total = d.pop("total")

        paid = d.pop("paid")

        status = check_instalment_out_status(d.pop("status"))

        instalment_out = cls(
            number=number,
            start=start,
            due_date=due_date,
            principal=principal,
            interest=interest,
            fee=fee,
            total=total,
            paid=paid,
            status=status,
        )

        instalment_out.additional_properties = d
        return instalment_out

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
