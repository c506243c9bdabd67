from typing import Literal

AdvanceOutStatus = Literal["outstanding", "settled"]

ADVANCE_OUT_STATUS_VALUES: set[AdvanceOutStatus] = {
    "outstanding",
    "settled",
}


def check_advance_out_status(value: str) -> AdvanceOutStatus:
    if value in ADVANCE_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ADVANCE_OUT_STATUS_VALUES!r}")
