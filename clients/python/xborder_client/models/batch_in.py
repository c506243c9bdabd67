from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.batch_item_in import BatchItemIn


T = TypeVar("T", bound="BatchIn")


@_attrs_define
class BatchIn:
    transactions: list[BatchItemIn]

    def to_dict(self) -> dict[str, Any]:
        transactions = []
        for transactions_item_data in self.transactions:
            transactions_item = transactions_item_data.to_dict()
            transactions.append(transactions_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "transactions": transactions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item_in import BatchItemIn  # noqa: PLC0415

        d = dict(src_dict)
        transactions = []
        _transactions = d.pop("transactions")
        for transactions_item_data in _transactions:
            transactions_item = BatchItemIn.from_dict(transactions_item_data)

            transactions.append(transactions_item)

        batch_in = cls(
            transactions=transactions,
        )

        return batch_in
