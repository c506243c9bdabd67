from typing import Literal

ReportsTrialBalanceGetFormatType0 = Literal["csv", "json"]

REPORTS_TRIAL_BALANCE_GET_FORMAT_TYPE_0_VALUES: set[ReportsTrialBalanceGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_trial_balance_get_format_type_0(value: str) -> ReportsTrialBalanceGetFormatType0:
    if value in REPORTS_TRIAL_BALANCE_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_TRIAL_BALANCE_GET_FORMAT_TYPE_0_VALUES!r}")
