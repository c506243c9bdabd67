from typing import Literal

TradeDataOrdersFileFormatType0 = Literal["csv", "ndjson"]

TRADE_DATA_ORDERS_FILE_FORMAT_TYPE_0_VALUES: set[TradeDataOrdersFileFormatType0] = {
    "csv",
    "ndjson",
}


def check_trade_data_orders_file_format_type_0(value: str) -> TradeDataOrdersFileFormatType0:
    if value in TRADE_DATA_ORDERS_FILE_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRADE_DATA_ORDERS_FILE_FORMAT_TYPE_0_VALUES!r}")
