from typing import Literal

TradeDataRefundsFileFormatType0 = Literal["csv", "ndjson"]

TRADE_DATA_REFUNDS_FILE_FORMAT_TYPE_0_VALUES: set[TradeDataRefundsFileFormatType0] = {
    "csv",
    "ndjson",
}


def check_trade_data_refunds_file_format_type_0(value: str) -> TradeDataRefundsFileFormatType0:
    if value in TRADE_DATA_REFUNDS_FILE_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRADE_DATA_REFUNDS_FILE_FORMAT_TYPE_0_VALUES!r}")
