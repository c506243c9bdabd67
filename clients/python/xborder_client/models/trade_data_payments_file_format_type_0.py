from typing import Literal

TradeDataPaymentsFileFormatType0 = Literal["csv", "ndjson"]

TRADE_DATA_PAYMENTS_FILE_FORMAT_TYPE_0_VALUES: set[TradeDataPaymentsFileFormatType0] = {
    "csv",
    "ndjson",
}


def check_trade_data_payments_file_format_type_0(value: str) -> TradeDataPaymentsFileFormatType0:
    if value in TRADE_DATA_PAYMENTS_FILE_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRADE_DATA_PAYMENTS_FILE_FORMAT_TYPE_0_VALUES!r}")
