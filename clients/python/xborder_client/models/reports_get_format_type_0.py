from typing import Literal

ReportsGetFormatType0 = Literal["csv", "json"]

REPORTS_GET_FORMAT_TYPE_0_VALUES: set[ReportsGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_get_format_type_0(value: str) -> ReportsGetFormatType0:
    if value in REPORTS_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_GET_FORMAT_TYPE_0_VALUES!r}")
