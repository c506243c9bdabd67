from typing import Literal

ListCyclesV1NettingCyclesGetKindType0 = Literal["multilateral", "partner_bank"]

LIST_CYCLES_V1_NETTING_CYCLES_GET_KIND_TYPE_0_VALUES: set[ListCyclesV1NettingCyclesGetKindType0] = {
    "multilateral",
    "partner_bank",
}


def check_list_cycles_v1_netting_cycles_get_kind_type_0(value: str) -> ListCyclesV1NettingCyclesGetKindType0:
    if value in LIST_CYCLES_V1_NETTING_CYCLES_GET_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CYCLES_V1_NETTING_CYCLES_GET_KIND_TYPE_0_VALUES!r}"
    )
