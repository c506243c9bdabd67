from typing import Literal

PushPaymentsFileV1TradeDataPaymentsFilePostFormatType0 = Literal["csv", "ndjson"]

PUSH_PAYMENTS_FILE_V1_TRADE_DATA_PAYMENTS_FILE_POST_FORMAT_TYPE_0_VALUES: set[
    PushPaymentsFileV1TradeDataPaymentsFilePostFormatType0
] = {
    "csv",
    "ndjson",
}


def check_push_payments_file_v1_trade_data_payments_file_post_format_type_0(
    value: str,
) -> PushPaymentsFileV1TradeDataPaymentsFilePostFormatType0:
    if value in PUSH_PAYMENTS_FILE_V1_TRADE_DATA_PAYMENTS_FILE_POST_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PUSH_PAYMENTS_FILE_V1_TRADE_DATA_PAYMENTS_FILE_POST_FORMAT_TYPE_0_VALUES!r}"
    )
