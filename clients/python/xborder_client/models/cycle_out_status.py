from typing import Literal

CycleOutStatus = Literal["closed", "open"]

CYCLE_OUT_STATUS_VALUES: set[CycleOutStatus] = {
    "closed",
    "open",
}


def check_cycle_out_status(value: str) -> CycleOutStatus:
    if value in CYCLE_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CYCLE_OUT_STATUS_VALUES!r}")
