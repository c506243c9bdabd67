from typing import Literal

ApprovalRequestOutStatus = Literal["executed", "executing", "failed", "pending", "rejected"]

APPROVAL_REQUEST_OUT_STATUS_VALUES: set[ApprovalRequestOutStatus] = {
    "executed",
    "executing",
    "failed",
    "pending",
    "rejected",
}


def check_approval_request_out_status(value: str) -> ApprovalRequestOutStatus:
    if value in APPROVAL_REQUEST_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {APPROVAL_REQUEST_OUT_STATUS_VALUES!r}")
