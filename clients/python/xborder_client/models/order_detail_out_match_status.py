from typing import Literal

OrderDetailOutMatchStatus = Literal["matched", "mismatched", "partial"]

ORDER_DETAIL_OUT_MATCH_STATUS_VALUES: set[OrderDetailOutMatchStatus] = {
    "matched",
    "mismatched",
    "partial",
}


def check_order_detail_out_match_status(value: str) -> OrderDetailOutMatchStatus:
    if value in ORDER_DETAIL_OUT_MATCH_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORDER_DETAIL_OUT_MATCH_STATUS_VALUES!r}")
