from typing import Literal

UserSubmittedStatus = Literal["executed", "executing", "failed", "pending", "rejected"]

USER_SUBMITTED_STATUS_VALUES: set[UserSubmittedStatus] = {
    "executed",
    "executing",
    "failed",
    "pending",
    "rejected",
}


def check_user_submitted_status(value: str) -> UserSubmittedStatus:
    if value in USER_SUBMITTED_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {USER_SUBMITTED_STATUS_VALUES!r}")
