from typing import Literal

ReceiptBatchResultOutStatus = Literal["error", "ok"]

RECEIPT_BATCH_RESULT_OUT_STATUS_VALUES: set[ReceiptBatchResultOutStatus] = {
    "error",
    "ok",
}


def check_receipt_batch_result_out_status(value: str) -> ReceiptBatchResultOutStatus:
    if value in RECEIPT_BATCH_RESULT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECEIPT_BATCH_RESULT_OUT_STATUS_VALUES!r}")
