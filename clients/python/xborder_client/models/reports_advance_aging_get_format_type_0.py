from typing import Literal

ReportsAdvanceAgingGetFormatType0 = Literal["csv", "json"]

REPORTS_ADVANCE_AGING_GET_FORMAT_TYPE_0_VALUES: set[ReportsAdvanceAgingGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_advance_aging_get_format_type_0(value: str) -> ReportsAdvanceAgingGetFormatType0:
    if value in REPORTS_ADVANCE_AGING_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_ADVANCE_AGING_GET_FORMAT_TYPE_0_VALUES!r}")
