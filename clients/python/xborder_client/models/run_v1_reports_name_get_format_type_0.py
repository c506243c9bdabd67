from typing import Literal

RunV1ReportsNameGetFormatType0 = Literal["csv", "json"]

RUN_V1_REPORTS_NAME_GET_FORMAT_TYPE_0_VALUES: set[RunV1ReportsNameGetFormatType0] = {
    "csv",
    "json",
}


def check_run_v1_reports_name_get_format_type_0(value: str) -> RunV1ReportsNameGetFormatType0:
    if value in RUN_V1_REPORTS_NAME_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RUN_V1_REPORTS_NAME_GET_FORMAT_TYPE_0_VALUES!r}")
