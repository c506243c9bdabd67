from typing import Literal

ListAdvancesV1AdvancesGetStatus = Literal["all", "outstanding"]

LIST_ADVANCES_V1_ADVANCES_GET_STATUS_VALUES: set[ListAdvancesV1AdvancesGetStatus] = {
    "all",
    "outstanding",
}


def check_list_advances_v1_advances_get_status(value: str) -> ListAdvancesV1AdvancesGetStatus:
    if value in LIST_ADVANCES_V1_ADVANCES_GET_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ADVANCES_V1_ADVANCES_GET_STATUS_VALUES!r}")
