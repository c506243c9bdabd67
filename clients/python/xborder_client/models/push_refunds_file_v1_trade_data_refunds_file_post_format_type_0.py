from typing import Literal

PushRefundsFileV1TradeDataRefundsFilePostFormatType0 = Literal["csv", "ndjson"]

PUSH_REFUNDS_FILE_V1_TRADE_DATA_REFUNDS_FILE_POST_FORMAT_TYPE_0_VALUES: set[
    PushRefundsFileV1TradeDataRefundsFilePostFormatType0
] = {
    "csv",
    "ndjson",
}


def check_push_refunds_file_v1_trade_data_refunds_file_post_format_type_0(
    value: str,
) -> PushRefundsFileV1TradeDataRefundsFilePostFormatType0:
    if value in PUSH_REFUNDS_FILE_V1_TRADE_DATA_REFUNDS_FILE_POST_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PUSH_REFUNDS_FILE_V1_TRADE_DATA_REFUNDS_FILE_POST_FORMAT_TYPE_0_VALUES!r}"
    )
