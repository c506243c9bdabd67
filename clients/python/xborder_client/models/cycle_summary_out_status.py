from typing import Literal

CycleSummaryOutStatus = Literal["closed", "open"]

CYCLE_SUMMARY_OUT_STATUS_VALUES: set[CycleSummaryOutStatus] = {
    "closed",
    "open",
}


def check_cycle_summary_out_status(value: str) -> CycleSummaryOutStatus:
    if value in CYCLE_SUMMARY_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CYCLE_SUMMARY_OUT_STATUS_VALUES!r}")
