from typing import Literal

InstalmentOutStatus = Literal["due", "overdue", "paid", "partially_paid"]

INSTALMENT_OUT_STATUS_VALUES: set[InstalmentOutStatus] = {
    "due",
    "overdue",
    "paid",
    "partially_paid",
}


def check_instalment_out_status(value: str) -> InstalmentOutStatus:
    if value in INSTALMENT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {INSTALMENT_OUT_STATUS_VALUES!r}")
