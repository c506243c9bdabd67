from typing import Literal

TradeDataOrdersListMatchStatusType0 = Literal["matched", "mismatched", "partial"]

TRADE_DATA_ORDERS_LIST_MATCH_STATUS_TYPE_0_VALUES: set[TradeDataOrdersListMatchStatusType0] = {
    "matched",
    "mismatched",
    "partial",
}


def check_trade_data_orders_list_match_status_type_0(value: str) -> TradeDataOrdersListMatchStatusType0:
    if value in TRADE_DATA_ORDERS_LIST_MATCH_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRADE_DATA_ORDERS_LIST_MATCH_STATUS_TYPE_0_VALUES!r}"
    )
