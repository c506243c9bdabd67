from typing import Literal

LprInTenor = Literal["1y", "5y"]

LPR_IN_TENOR_VALUES: set[LprInTenor] = {
    "1y",
    "5y",
}


def check_lpr_in_tenor(value: str) -> LprInTenor:
    if value in LPR_IN_TENOR_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LPR_IN_TENOR_VALUES!r}")
