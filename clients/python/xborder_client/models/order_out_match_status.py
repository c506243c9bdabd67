from typing import Literal

OrderOutMatchStatus = Literal["matched", "mismatched", "partial"]

ORDER_OUT_MATCH_STATUS_VALUES: set[OrderOutMatchStatus] = {
    "matched",
    "mismatched",
    "partial",
}


def check_order_out_match_status(value: str) -> OrderOutMatchStatus:
    if value in ORDER_OUT_MATCH_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORDER_OUT_MATCH_STATUS_VALUES!r}")
