from typing import Literal

ReportParamOutType = Literal["date", "int", "str", "uuid"]

REPORT_PARAM_OUT_TYPE_VALUES: set[ReportParamOutType] = {
    "date",
    "int",
    "str",
    "uuid",
}


def check_report_param_out_type(value: str) -> ReportParamOutType:
    if value in REPORT_PARAM_OUT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORT_PARAM_OUT_TYPE_VALUES!r}")
