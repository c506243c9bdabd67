from typing import Literal

ReportColumnOutKind = Literal["date", "int", "money", "percent", "rate", "text"]

REPORT_COLUMN_OUT_KIND_VALUES: set[ReportColumnOutKind] = {
    "date",
    "int",
    "money",
    "percent",
    "rate",
    "text",
}


def check_report_column_out_kind(value: str) -> ReportColumnOutKind:
    if value in REPORT_COLUMN_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORT_COLUMN_OUT_KIND_VALUES!r}")
