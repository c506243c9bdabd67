from typing import Literal

TradeDataRejectsListKindType0 = Literal["orders", "payments", "refunds", "waybills"]

TRADE_DATA_REJECTS_LIST_KIND_TYPE_0_VALUES: set[TradeDataRejectsListKindType0] = {
    "orders",
    "payments",
    "refunds",
    "waybills",
}


def check_trade_data_rejects_list_kind_type_0(value: str) -> TradeDataRejectsListKindType0:
    if value in TRADE_DATA_REJECTS_LIST_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRADE_DATA_REJECTS_LIST_KIND_TYPE_0_VALUES!r}")
