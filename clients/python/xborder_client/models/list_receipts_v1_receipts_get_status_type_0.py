from typing import Literal

ListReceiptsV1ReceiptsGetStatusType0 = Literal["credited", "pending_verification", "released", "suspense"]

LIST_RECEIPTS_V1_RECEIPTS_GET_STATUS_TYPE_0_VALUES: set[ListReceiptsV1ReceiptsGetStatusType0] = {
    "credited",
    "pending_verification",
    "released",
    "suspense",
}


def check_list_receipts_v1_receipts_get_status_type_0(value: str) -> ListReceiptsV1ReceiptsGetStatusType0:
    if value in LIST_RECEIPTS_V1_RECEIPTS_GET_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_RECEIPTS_V1_RECEIPTS_GET_STATUS_TYPE_0_VALUES!r}"
    )
