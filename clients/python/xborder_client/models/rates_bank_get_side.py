from typing import Literal

RatesBankGetSide = Literal["buy", "sell"]

RATES_BANK_GET_SIDE_VALUES: set[RatesBankGetSide] = {
    "buy",
    "sell",
}


def check_rates_bank_get_side(value: str) -> RatesBankGetSide:
    if value in RATES_BANK_GET_SIDE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RATES_BANK_GET_SIDE_VALUES!r}")
