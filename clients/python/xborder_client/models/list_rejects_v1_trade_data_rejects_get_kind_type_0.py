from typing import Literal

ListRejectsV1TradeDataRejectsGetKindType0 = Literal["orders", "payments", "refunds", "waybills"]

LIST_REJECTS_V1_TRADE_DATA_REJECTS_GET_KIND_TYPE_0_VALUES: set[ListRejectsV1TradeDataRejectsGetKindType0] = {
    "orders",
    "payments",
    "refunds",
    "waybills",
}


def check_list_rejects_v1_trade_data_rejects_get_kind_type_0(value: str) -> ListRejectsV1TradeDataRejectsGetKindType0:
    if value in LIST_REJECTS_V1_TRADE_DATA_REJECTS_GET_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_REJECTS_V1_TRADE_DATA_REJECTS_GET_KIND_TYPE_0_VALUES!r}"
    )
