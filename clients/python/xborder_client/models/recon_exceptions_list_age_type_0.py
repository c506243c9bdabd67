from typing import Literal

ReconExceptionsListAgeType0 = Literal["0-1", "2-7", "31+", "8-30"]

RECON_EXCEPTIONS_LIST_AGE_TYPE_0_VALUES: set[ReconExceptionsListAgeType0] = {
    "0-1",
    "2-7",
    "31+",
    "8-30",
}


def check_recon_exceptions_list_age_type_0(value: str) -> ReconExceptionsListAgeType0:
    if value in RECON_EXCEPTIONS_LIST_AGE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECON_EXCEPTIONS_LIST_AGE_TYPE_0_VALUES!r}")
