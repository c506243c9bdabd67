from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SmeRepaymentIn")


@_attrs_define
class SmeRepaymentIn:
    """A repayment from the caller's own current account in the loan's currency (no other account can be named)."""

    amount: str
    """ in the loan's currency, at most its decimals; not zero; at most what the loan owes and what the current
    account holds """

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        sme_repayment_in = cls(
            amount=amount,
        )

        return sme_repayment_in
