from typing import Literal

ListLinesV1ReconLinesGetStatusType0 = Literal["matched", "open", "split"]

LIST_LINES_V1_RECON_LINES_GET_STATUS_TYPE_0_VALUES: set[ListLinesV1ReconLinesGetStatusType0] = {
    "matched",
    "open",
    "split",
}


def check_list_lines_v1_recon_lines_get_status_type_0(value: str) -> ListLinesV1ReconLinesGetStatusType0:
    if value in LIST_LINES_V1_RECON_LINES_GET_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_LINES_V1_RECON_LINES_GET_STATUS_TYPE_0_VALUES!r}"
    )
