from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.receipt_batch_item import ReceiptBatchItem


T = TypeVar("T", bound="ReceiptBatchIn")


@_attrs_define
class ReceiptBatchIn:
    receipts: list[ReceiptBatchItem]

    def to_dict(self) -> dict[str, Any]:
        receipts = []
        for receipts_item_data in self.receipts:
            receipts_item = receipts_item_data.to_dict()
            receipts.append(receipts_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "receipts": receipts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.receipt_batch_item import ReceiptBatchItem  # noqa: PLC0415

        d = dict(src_dict)
        receipts = []
        _receipts = d.pop("receipts")
        for receipts_item_data in _receipts:
            receipts_item = ReceiptBatchItem.from_dict(receipts_item_data)

            receipts.append(receipts_item)

        receipt_batch_in = cls(
            receipts=receipts,
        )

        return receipt_batch_in
