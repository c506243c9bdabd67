from typing import Literal

BatchResultOutStatus = Literal["error", "ok"]

BATCH_RESULT_OUT_STATUS_VALUES: set[BatchResultOutStatus] = {
    "error",
    "ok",
}


def check_batch_result_out_status(value: str) -> BatchResultOutStatus:
    if value in BATCH_RESULT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BATCH_RESULT_OUT_STATUS_VALUES!r}")
