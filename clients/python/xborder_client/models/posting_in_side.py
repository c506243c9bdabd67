from typing import Literal

PostingInSide = Literal["credit", "debit"]

POSTING_IN_SIDE_VALUES: set[PostingInSide] = {
    "credit",
    "debit",
}


def check_posting_in_side(value: str) -> PostingInSide:
    if value in POSTING_IN_SIDE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {POSTING_IN_SIDE_VALUES!r}")
