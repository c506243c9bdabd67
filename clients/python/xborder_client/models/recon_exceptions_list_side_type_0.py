from typing import Literal

ReconExceptionsListSideType0 = Literal["entry", "line"]

RECON_EXCEPTIONS_LIST_SIDE_TYPE_0_VALUES: set[ReconExceptionsListSideType0] = {
    "entry",
    "line",
}


def check_recon_exceptions_list_side_type_0(value: str) -> ReconExceptionsListSideType0:
    if value in RECON_EXCEPTIONS_LIST_SIDE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECON_EXCEPTIONS_LIST_SIDE_TYPE_0_VALUES!r}")
