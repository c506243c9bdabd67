from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.loan_repayment_allocation_type_0 import LoanRepaymentAllocationType0


T = TypeVar("T", bound="LoanRepayment")


@_attrs_define
class LoanRepayment:
    loan_id: str
    amount: str
    """ decimal string in major units with exactly the currency's exponent """
    source: None | str | Unset = UNSET
    allocation: LoanRepaymentAllocationType0 | None | Unset = UNSET
    """ component -> decimal string """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.loan_repayment_allocation_type_0 import LoanRepaymentAllocationType0  # noqa: PLC0415

        loan_id = self.loan_id

        amount = self.amount

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        allocation: dict[str, Any] | None | Unset
        if isinstance(self.allocation, Unset):
            allocation = UNSET
        elif isinstance(self.allocation, LoanRepaymentAllocationType0):
            allocation = self.allocation.to_dict()
        else:
            allocation = self.allocation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loan_id": loan_id,
                "amount": amount,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if allocation is not UNSET:
            field_dict["allocation"] = allocation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loan_repayment_allocation_type_0 import LoanRepaymentAllocationType0  # noqa: PLC0415

        d = dict(src_dict)
        loan_id = d.pop("loan_id")

        amount = d.pop("amount")

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_allocation(data: object) -> LoanRepaymentAllocationType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                allocation_type_0 = LoanRepaymentAllocationType0.from_dict(data)

                return allocation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LoanRepaymentAllocationType0 | None | Unset, data)

        allocation = _parse_allocation(d.pop("allocation", UNSET))

        loan_repayment = cls(
            loan_id=loan_id,
            amount=amount,
            source=source,
            allocation=allocation,
        )

        loan_repayment.additional_properties = d
        return loan_repayment

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
