from typing import Literal

PaymentsListStatusType0 = Literal["held", "paid", "released"]

PAYMENTS_LIST_STATUS_TYPE_0_VALUES: set[PaymentsListStatusType0] = {
    "held",
    "paid",
    "released",
}


def check_payments_list_status_type_0(value: str) -> PaymentsListStatusType0:
    if value in PAYMENTS_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAYMENTS_LIST_STATUS_TYPE_0_VALUES!r}")
