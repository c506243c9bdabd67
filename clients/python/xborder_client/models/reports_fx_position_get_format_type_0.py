from typing import Literal

ReportsFxPositionGetFormatType0 = Literal["csv", "json"]

REPORTS_FX_POSITION_GET_FORMAT_TYPE_0_VALUES: set[ReportsFxPositionGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_fx_position_get_format_type_0(value: str) -> ReportsFxPositionGetFormatType0:
    if value in REPORTS_FX_POSITION_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_FX_POSITION_GET_FORMAT_TYPE_0_VALUES!r}")
