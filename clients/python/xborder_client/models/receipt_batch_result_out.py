from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.receipt_batch_result_out_status import ReceiptBatchResultOutStatus, check_receipt_batch_result_out_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.problem import Problem
    from ..models.receipt_out import ReceiptOut


T = TypeVar("T", bound="ReceiptBatchResultOut")


@_attrs_define
class ReceiptBatchResultOut:
    index: int
    status: ReceiptBatchResultOutStatus
    code: str
    """ 'ok' or the error code """
    replayed: bool | Unset = False
    """ the receipt was posted earlier (same external_ref and content) """
    receipt: None | ReceiptOut | Unset = UNSET
    problem: None | Problem | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.problem import Problem  # noqa: PLC0415
        from ..models.receipt_out import ReceiptOut  # noqa: PLC0415

        index = self.index

        status: str = self.status

        code = self.code

        replayed = self.replayed

        receipt: dict[str, Any] | None | Unset
        if isinstance(self.receipt, Unset):
            receipt = UNSET
        elif isinstance(self.receipt, ReceiptOut):
            receipt = self.receipt.to_dict()
        else:
            receipt = self.receipt

        problem: dict[str, Any] | None | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        elif isinstance(self.problem, Problem):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "status": status,
                "code": code,
            }
        )
        if replayed is not UNSET:
            field_dict["replayed"] = replayed
        if receipt is not UNSET:
            field_dict["receipt"] = receipt
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.problem import Problem  # noqa: PLC0415
        from ..models.receipt_out import ReceiptOut  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        status = check_receipt_batch_result_out_status(d.pop("status"))

        code = d.pop("code")

        replayed = d.pop("replayed", UNSET)

        def _parse_receipt(data: object) -> None | ReceiptOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                receipt_type_0 = ReceiptOut.from_dict(data)

                return receipt_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReceiptOut | Unset, data)

        receipt = _parse_receipt(d.pop("receipt", UNSET))

        def _parse_problem(data: object) -> None | Problem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_0 = Problem.from_dict(data)

                return problem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Problem | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        receipt_batch_result_out = cls(
            index=index,
            status=status,
            code=code,
            replayed=replayed,
            receipt=receipt,
            problem=problem,
        )

        receipt_batch_result_out.additional_properties = d
        return receipt_batch_result_out

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
