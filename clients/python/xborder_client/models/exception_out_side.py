from typing import Literal

ExceptionOutSide = Literal["entry", "line"]

EXCEPTION_OUT_SIDE_VALUES: set[ExceptionOutSide] = {
    "entry",
    "line",
}


def check_exception_out_side(value: str) -> ExceptionOutSide:
    if value in EXCEPTION_OUT_SIDE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EXCEPTION_OUT_SIDE_VALUES!r}")
