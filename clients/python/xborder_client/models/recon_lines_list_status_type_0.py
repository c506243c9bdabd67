from typing import Literal

ReconLinesListStatusType0 = Literal["matched", "open", "split"]

RECON_LINES_LIST_STATUS_TYPE_0_VALUES: set[ReconLinesListStatusType0] = {
    "matched",
    "open",
    "split",
}


def check_recon_lines_list_status_type_0(value: str) -> ReconLinesListStatusType0:
    if value in RECON_LINES_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECON_LINES_LIST_STATUS_TYPE_0_VALUES!r}")
