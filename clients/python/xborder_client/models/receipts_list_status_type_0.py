from typing import Literal

ReceiptsListStatusType0 = Literal["credited", "pending_verification", "released", "suspense"]

RECEIPTS_LIST_STATUS_TYPE_0_VALUES: set[ReceiptsListStatusType0] = {
    "credited",
    "pending_verification",
    "released",
    "suspense",
}


def check_receipts_list_status_type_0(value: str) -> ReceiptsListStatusType0:
    if value in RECEIPTS_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECEIPTS_LIST_STATUS_TYPE_0_VALUES!r}")
