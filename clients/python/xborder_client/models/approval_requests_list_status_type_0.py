from typing import Literal

ApprovalRequestsListStatusType0 = Literal["executed", "executing", "failed", "pending", "rejected"]

APPROVAL_REQUESTS_LIST_STATUS_TYPE_0_VALUES: set[ApprovalRequestsListStatusType0] = {
    "executed",
    "executing",
    "failed",
    "pending",
    "rejected",
}


def check_approval_requests_list_status_type_0(value: str) -> ApprovalRequestsListStatusType0:
    if value in APPROVAL_REQUESTS_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {APPROVAL_REQUESTS_LIST_STATUS_TYPE_0_VALUES!r}")
