from typing import Literal

ListOrdersV1TradeDataOrdersGetMatchStatusType0 = Literal["matched", "mismatched", "partial"]

LIST_ORDERS_V1_TRADE_DATA_ORDERS_GET_MATCH_STATUS_TYPE_0_VALUES: set[ListOrdersV1TradeDataOrdersGetMatchStatusType0] = {
    "matched",
    "mismatched",
    "partial",
}


def check_list_orders_v1_trade_data_orders_get_match_status_type_0(
    value: str,
) -> ListOrdersV1TradeDataOrdersGetMatchStatusType0:
    if value in LIST_ORDERS_V1_TRADE_DATA_ORDERS_GET_MATCH_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_ORDERS_V1_TRADE_DATA_ORDERS_GET_MATCH_STATUS_TYPE_0_VALUES!r}"
    )
