from typing import Literal

AdvancesListStatus = Literal["all", "outstanding"]

ADVANCES_LIST_STATUS_VALUES: set[AdvancesListStatus] = {
    "all",
    "outstanding",
}


def check_advances_list_status(value: str) -> AdvancesListStatus:
    if value in ADVANCES_LIST_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ADVANCES_LIST_STATUS_VALUES!r}")
