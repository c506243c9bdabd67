from typing import Literal

ReceiptBodyCustomsMode = Literal["1210", "9610", "9710", "9810"]

RECEIPT_BODY_CUSTOMS_MODE_VALUES: set[ReceiptBodyCustomsMode] = {
    "1210",
    "9610",
    "9710",
    "9810",
}


def check_receipt_body_customs_mode(value: str) -> ReceiptBodyCustomsMode:
    if value in RECEIPT_BODY_CUSTOMS_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECEIPT_BODY_CUSTOMS_MODE_VALUES!r}")
