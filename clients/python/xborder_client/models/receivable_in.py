from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReceivableIn")


@_attrs_define
class ReceivableIn:
    buyer_ref: str
    """ the buyer's registry code: with the normalized invoice number, the receivable's identity """
    invoice_number: str
    """ printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank;
    leading and trailing spaces are dropped """
    amount: str
    """ in the policy's currency """
    due_date: datetime.date

    def to_dict(self) -> dict[str, Any]:
        buyer_ref = self.buyer_ref

        invoice_number = self.invoice_number

        amount = self.amount

        due_date = self.due_date.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "buyer_ref": buyer_ref,
                "invoice_number": invoice_number,
                "amount": amount,
                "due_date": due_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        buyer_ref = d.pop("buyer_ref")

        invoice_number = d.pop("invoice_number")

        amount = d.pop("amount")

        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        receivable_in = cls(
            buyer_ref=buyer_ref,
            invoice_number=invoice_number,
            amount=amount,
            due_date=due_date,
        )

        return receivable_in
