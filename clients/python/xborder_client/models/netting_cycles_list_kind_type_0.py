from typing import Literal

NettingCyclesListKindType0 = Literal["multilateral", "partner_bank"]

NETTING_CYCLES_LIST_KIND_TYPE_0_VALUES: set[NettingCyclesListKindType0] = {
    "multilateral",
    "partner_bank",
}


def check_netting_cycles_list_kind_type_0(value: str) -> NettingCyclesListKindType0:
    if value in NETTING_CYCLES_LIST_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {NETTING_CYCLES_LIST_KIND_TYPE_0_VALUES!r}")
