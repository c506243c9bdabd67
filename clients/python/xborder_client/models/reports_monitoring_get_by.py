from typing import Literal

ReportsMonitoringGetBy = Literal["all", "customs_mode", "destination_country", "merchant_kind"]

REPORTS_MONITORING_GET_BY_VALUES: set[ReportsMonitoringGetBy] = {
    "all",
    "customs_mode",
    "destination_country",
    "merchant_kind",
}


def check_reports_monitoring_get_by(value: str) -> ReportsMonitoringGetBy:
    if value in REPORTS_MONITORING_GET_BY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_MONITORING_GET_BY_VALUES!r}")
