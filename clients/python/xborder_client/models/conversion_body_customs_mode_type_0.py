from typing import Literal

ConversionBodyCustomsModeType0 = Literal["1210", "9610", "9710", "9810"]

CONVERSION_BODY_CUSTOMS_MODE_TYPE_0_VALUES: set[ConversionBodyCustomsModeType0] = {
    "1210",
    "9610",
    "9710",
    "9810",
}


def check_conversion_body_customs_mode_type_0(value: str) -> ConversionBodyCustomsModeType0:
    if value in CONVERSION_BODY_CUSTOMS_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONVERSION_BODY_CUSTOMS_MODE_TYPE_0_VALUES!r}")
