from typing import Literal

RateOutKind = Literal["buy", "mid", "sell"]

RATE_OUT_KIND_VALUES: set[RateOutKind] = {
    "buy",
    "mid",
    "sell",
}


def check_rate_out_kind(value: str) -> RateOutKind:
    if value in RATE_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RATE_OUT_KIND_VALUES!r}")
