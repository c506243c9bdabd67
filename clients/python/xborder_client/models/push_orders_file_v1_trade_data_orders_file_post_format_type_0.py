from typing import Literal

PushOrdersFileV1TradeDataOrdersFilePostFormatType0 = Literal["csv", "ndjson"]

PUSH_ORDERS_FILE_V1_TRADE_DATA_ORDERS_FILE_POST_FORMAT_TYPE_0_VALUES: set[
    PushOrdersFileV1TradeDataOrdersFilePostFormatType0
] = {
    "csv",
    "ndjson",
}


def check_push_orders_file_v1_trade_data_orders_file_post_format_type_0(
    value: str,
) -> PushOrdersFileV1TradeDataOrdersFilePostFormatType0:
    if value in PUSH_ORDERS_FILE_V1_TRADE_DATA_ORDERS_FILE_POST_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PUSH_ORDERS_FILE_V1_TRADE_DATA_ORDERS_FILE_POST_FORMAT_TYPE_0_VALUES!r}"
    )
