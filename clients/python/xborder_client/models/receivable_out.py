from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ReceivableOut")


@_attrs_define
class ReceivableOut:
    id: UUID
    policy_id: UUID
    buyer_ref: str
    invoice_number: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Decimal amount in major units, as a string """
    due_date: datetime.date
    status: str
    financing_ref: None | str
    assigned_to: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        policy_id = str(self.policy_id)

        buyer_ref = self.buyer_ref

        invoice_number = self.invoice_number

        currency: str = self.currency

        amount = self.amount

        due_date = self.due_date.isoformat()

        status = self.status

        financing_ref: None | str
        financing_ref = self.financing_ref

        assigned_to: None | str
        assigned_to = self.assigned_to

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "policy_id": policy_id,
                "buyer_ref": buyer_ref,
                "invoice_number": invoice_number,
                "currency": currency,
                "amount": amount,
                "due_date": due_date,
                "status": status,
                "financing_ref": financing_ref,
                "assigned_to": assigned_to,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        policy_id = UUID(d.pop("policy_id"))

        buyer_ref = d.pop("buyer_ref")

        invoice_number = d.pop("invoice_number")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        status = d.pop("status")

        def _parse_financing_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        financing_ref = _parse_financing_ref(d.pop("financing_ref"))

        def _parse_assigned_to(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assigned_to = _parse_assigned_to(d.pop("assigned_to"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        receivable_out = cls(
            id=id,
            policy_id=policy_id,
            buyer_ref=buyer_ref,
            invoice_number=invoice_number,
            currency=currency,
            amount=amount,
            due_date=due_date,
            status=status,
            financing_ref=financing_ref,
            assigned_to=assigned_to,
            created_at=created_at,
        )

        receivable_out.additional_properties = d
        return receivable_out

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
