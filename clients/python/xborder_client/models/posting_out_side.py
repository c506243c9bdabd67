from typing import Literal

PostingOutSide = Literal["credit", "debit"]

POSTING_OUT_SIDE_VALUES: set[PostingOutSide] = {
    "credit",
    "debit",
}


def check_posting_out_side(value: str) -> PostingOutSide:
    if value in POSTING_OUT_SIDE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {POSTING_OUT_SIDE_VALUES!r}")
