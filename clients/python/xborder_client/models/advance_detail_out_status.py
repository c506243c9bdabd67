from typing import Literal

AdvanceDetailOutStatus = Literal["outstanding", "settled"]

ADVANCE_DETAIL_OUT_STATUS_VALUES: set[AdvanceDetailOutStatus] = {
    "outstanding",
    "settled",
}


def check_advance_detail_out_status(value: str) -> AdvanceDetailOutStatus:
    if value in ADVANCE_DETAIL_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ADVANCE_DETAIL_OUT_STATUS_VALUES!r}")
