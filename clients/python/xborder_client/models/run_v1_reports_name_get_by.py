from typing import Literal

RunV1ReportsNameGetBy = Literal["all", "customs_mode", "destination_country", "merchant_kind"]

RUN_V1_REPORTS_NAME_GET_BY_VALUES: set[RunV1ReportsNameGetBy] = {
    "all",
    "customs_mode",
    "destination_country",
    "merchant_kind",
}


def check_run_v1_reports_name_get_by(value: str) -> RunV1ReportsNameGetBy:
    if value in RUN_V1_REPORTS_NAME_GET_BY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RUN_V1_REPORTS_NAME_GET_BY_VALUES!r}")
