from typing import Literal

RiskAlertsListStatusType0 = Literal["closed", "open"]

RISK_ALERTS_LIST_STATUS_TYPE_0_VALUES: set[RiskAlertsListStatusType0] = {
    "closed",
    "open",
}


def check_risk_alerts_list_status_type_0(value: str) -> RiskAlertsListStatusType0:
    if value in RISK_ALERTS_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RISK_ALERTS_LIST_STATUS_TYPE_0_VALUES!r}")
