from typing import Literal

ReconExceptionsListDirectionType0 = Literal["in", "out"]

RECON_EXCEPTIONS_LIST_DIRECTION_TYPE_0_VALUES: set[ReconExceptionsListDirectionType0] = {
    "in",
    "out",
}


def check_recon_exceptions_list_direction_type_0(value: str) -> ReconExceptionsListDirectionType0:
    if value in RECON_EXCEPTIONS_LIST_DIRECTION_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECON_EXCEPTIONS_LIST_DIRECTION_TYPE_0_VALUES!r}")
