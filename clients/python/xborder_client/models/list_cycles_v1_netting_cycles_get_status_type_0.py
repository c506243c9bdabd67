from typing import Literal

ListCyclesV1NettingCyclesGetStatusType0 = Literal["closed", "open"]

LIST_CYCLES_V1_NETTING_CYCLES_GET_STATUS_TYPE_0_VALUES: set[ListCyclesV1NettingCyclesGetStatusType0] = {
    "closed",
    "open",
}


def check_list_cycles_v1_netting_cycles_get_status_type_0(value: str) -> ListCyclesV1NettingCyclesGetStatusType0:
    if value in LIST_CYCLES_V1_NETTING_CYCLES_GET_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CYCLES_V1_NETTING_CYCLES_GET_STATUS_TYPE_0_VALUES!r}"
    )
