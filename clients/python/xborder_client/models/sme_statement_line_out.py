from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SmeStatementLineOut")


@_attrs_define
class SmeStatementLineOut:
    transaction_id: UUID
    line_no: int
    recorded_at: datetime.datetime
    effective_date: datetime.date
    component: str
    """ principal | interest | fees | penalty """
    side: str
    """ debit (the loan owes more) | credit (repaid, written off) """
    amount: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    description: str
    balance: str
    """ what the loan owes after this posting (running balance over its components) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        transaction_id = str(self.transaction_id)

        line_no = self.line_no

        recorded_at = self.recorded_at.isoformat()

        effective_date = self.effective_date.isoformat()

        component = self.component

        side = self.side

        amount = self.amount

        description = self.description

        balance = self.balance

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "transaction_id": transaction_id,
                "line_no": line_no,
                "recorded_at": recorded_at,
                "effective_date": effective_date,
                "component": component,
                "side": side,
                "amount": amount,
                "description": description,
                "balance": balance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        transaction_id = UUID(d.pop("transaction_id"))

        line_no = d.pop("line_no")

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        component = d.pop("component")

        side = d.pop("side")

        amount = d.pop("amount")

        description = d.pop("description")

        balance = d.pop("balance")

        sme_statement_line_out = cls(
            transaction_id=transaction_id,
            line_no=line_no,
            recorded_at=recorded_at,
            effective_date=effective_date,
            component=component,
            side=side,
            amount=amount,
            description=description,
            balance=balance,
        )

        sme_statement_line_out.additional_properties = d
        return sme_statement_line_out

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
