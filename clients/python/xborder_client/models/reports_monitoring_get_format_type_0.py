from typing import Literal

ReportsMonitoringGetFormatType0 = Literal["csv", "json"]

REPORTS_MONITORING_GET_FORMAT_TYPE_0_VALUES: set[ReportsMonitoringGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_monitoring_get_format_type_0(value: str) -> ReportsMonitoringGetFormatType0:
    if value in REPORTS_MONITORING_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_MONITORING_GET_FORMAT_TYPE_0_VALUES!r}")
