from typing import Literal

ApiKeySubmittedStatus = Literal["executed", "executing", "failed", "pending", "rejected"]

API_KEY_SUBMITTED_STATUS_VALUES: set[ApiKeySubmittedStatus] = {
    "executed",
    "executing",
    "failed",
    "pending",
    "rejected",
}


def check_api_key_submitted_status(value: str) -> ApiKeySubmittedStatus:
    if value in API_KEY_SUBMITTED_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_SUBMITTED_STATUS_VALUES!r}")
