from typing import Literal

ReceiptBatchItemCustomsMode = Literal["1210", "9610", "9710", "9810"]

RECEIPT_BATCH_ITEM_CUSTOMS_MODE_VALUES: set[ReceiptBatchItemCustomsMode] = {
    "1210",
    "9610",
    "9710",
    "9810",
}


def check_receipt_batch_item_customs_mode(value: str) -> ReceiptBatchItemCustomsMode:
    if value in RECEIPT_BATCH_ITEM_CUSTOMS_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECEIPT_BATCH_ITEM_CUSTOMS_MODE_VALUES!r}")
