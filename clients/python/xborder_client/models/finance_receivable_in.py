from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="FinanceReceivableIn")


@_attrs_define
class FinanceReceivableIn:
    loan_id: UUID
    """ the institution's credit-insurance loan the receivable secures (same currency, not yet disbursed) """
    assignee: str
    """ the lender the indemnity rights are assigned to """

    def to_dict(self) -> dict[str, Any]:
        loan_id = str(self.loan_id)

        assignee = self.assignee

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "loan_id": loan_id,
                "assignee": assignee,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loan_id = UUID(d.pop("loan_id"))

        assignee = d.pop("assignee")

        finance_receivable_in = cls(
            loan_id=loan_id,
            assignee=assignee,
        )

        return finance_receivable_in
