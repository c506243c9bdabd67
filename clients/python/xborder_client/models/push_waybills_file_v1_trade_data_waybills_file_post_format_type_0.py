from typing import Literal

PushWaybillsFileV1TradeDataWaybillsFilePostFormatType0 = Literal["csv", "ndjson"]

PUSH_WAYBILLS_FILE_V1_TRADE_DATA_WAYBILLS_FILE_POST_FORMAT_TYPE_0_VALUES: set[
    PushWaybillsFileV1TradeDataWaybillsFilePostFormatType0
] = {
    "csv",
    "ndjson",
}


def check_push_waybills_file_v1_trade_data_waybills_file_post_format_type_0(
    value: str,
) -> PushWaybillsFileV1TradeDataWaybillsFilePostFormatType0:
    if value in PUSH_WAYBILLS_FILE_V1_TRADE_DATA_WAYBILLS_FILE_POST_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PUSH_WAYBILLS_FILE_V1_TRADE_DATA_WAYBILLS_FILE_POST_FORMAT_TYPE_0_VALUES!r}"
    )
