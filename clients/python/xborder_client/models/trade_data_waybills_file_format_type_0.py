from typing import Literal

TradeDataWaybillsFileFormatType0 = Literal["csv", "ndjson"]

TRADE_DATA_WAYBILLS_FILE_FORMAT_TYPE_0_VALUES: set[TradeDataWaybillsFileFormatType0] = {
    "csv",
    "ndjson",
}


def check_trade_data_waybills_file_format_type_0(value: str) -> TradeDataWaybillsFileFormatType0:
    if value in TRADE_DATA_WAYBILLS_FILE_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRADE_DATA_WAYBILLS_FILE_FORMAT_TYPE_0_VALUES!r}")
