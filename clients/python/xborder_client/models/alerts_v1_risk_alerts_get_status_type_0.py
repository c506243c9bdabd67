from typing import Literal

AlertsV1RiskAlertsGetStatusType0 = Literal["closed", "open"]

ALERTS_V1_RISK_ALERTS_GET_STATUS_TYPE_0_VALUES: set[AlertsV1RiskAlertsGetStatusType0] = {
    "closed",
    "open",
}


def check_alerts_v1_risk_alerts_get_status_type_0(value: str) -> AlertsV1RiskAlertsGetStatusType0:
    if value in ALERTS_V1_RISK_ALERTS_GET_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ALERTS_V1_RISK_ALERTS_GET_STATUS_TYPE_0_VALUES!r}")
