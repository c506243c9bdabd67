from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.receipt_batch_result_out import ReceiptBatchResultOut


T = TypeVar("T", bound="ReceiptBatchOut")


@_attrs_define
class ReceiptBatchOut:
    results: list[ReceiptBatchResultOut]
    posted: int
    """ receipts answered ok (posted now or earlier) """
    failed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        posted = self.posted

        failed = self.failed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "posted": posted,
                "failed": failed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.receipt_batch_result_out import ReceiptBatchResultOut  # noqa: PLC0415

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = ReceiptBatchResultOut.from_dict(results_item_data)

            results.append(results_item)

        posted = d.pop("posted")

        failed = d.pop("failed")

        receipt_batch_out = cls(
            results=results,
            posted=posted,
            failed=failed,
        )

        receipt_batch_out.additional_properties = d
        return receipt_batch_out

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
