from typing import Literal

AdvanceSettlementOutSource = Literal["account", "outside", "proceeds"]

ADVANCE_SETTLEMENT_OUT_SOURCE_VALUES: set[AdvanceSettlementOutSource] = {
    "account",
    "outside",
    "proceeds",
}


def check_advance_settlement_out_source(value: str) -> AdvanceSettlementOutSource:
    if value in ADVANCE_SETTLEMENT_OUT_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ADVANCE_SETTLEMENT_OUT_SOURCE_VALUES!r}")
