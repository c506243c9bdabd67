from typing import Literal

NettingCyclesListStatusType0 = Literal["closed", "open"]

NETTING_CYCLES_LIST_STATUS_TYPE_0_VALUES: set[NettingCyclesListStatusType0] = {
    "closed",
    "open",
}


def check_netting_cycles_list_status_type_0(value: str) -> NettingCyclesListStatusType0:
    if value in NETTING_CYCLES_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {NETTING_CYCLES_LIST_STATUS_TYPE_0_VALUES!r}")
