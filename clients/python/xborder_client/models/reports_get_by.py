from typing import Literal

ReportsGetBy = Literal["all", "customs_mode", "destination_country", "merchant_kind"]

REPORTS_GET_BY_VALUES: set[ReportsGetBy] = {
    "all",
    "customs_mode",
    "destination_country",
    "merchant_kind",
}


def check_reports_get_by(value: str) -> ReportsGetBy:
    if value in REPORTS_GET_BY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_GET_BY_VALUES!r}")
