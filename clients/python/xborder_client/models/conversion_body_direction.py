from typing import Literal

ConversionBodyDirection = Literal["purchase", "settle"]

CONVERSION_BODY_DIRECTION_VALUES: set[ConversionBodyDirection] = {
    "purchase",
    "settle",
}


def check_conversion_body_direction(value: str) -> ConversionBodyDirection:
    if value in CONVERSION_BODY_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONVERSION_BODY_DIRECTION_VALUES!r}")
