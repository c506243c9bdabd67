from typing import Literal

RefundRecordKind = Literal["chargeback", "refund", "return"]

REFUND_RECORD_KIND_VALUES: set[RefundRecordKind] = {
    "chargeback",
    "refund",
    "return",
}


def check_refund_record_kind(value: str) -> RefundRecordKind:
    if value in REFUND_RECORD_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REFUND_RECORD_KIND_VALUES!r}")
