from typing import Literal

ReceiptOutStatus = Literal["credited", "pending_verification", "released", "suspense"]

RECEIPT_OUT_STATUS_VALUES: set[ReceiptOutStatus] = {
    "credited",
    "pending_verification",
    "released",
    "suspense",
}


def check_receipt_out_status(value: str) -> ReceiptOutStatus:
    if value in RECEIPT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECEIPT_OUT_STATUS_VALUES!r}")
