from typing import Literal

CustomerInFxClassType0 = Literal["A", "B", "C"]

CUSTOMER_IN_FX_CLASS_TYPE_0_VALUES: set[CustomerInFxClassType0] = {
    "A",
    "B",
    "C",
}


def check_customer_in_fx_class_type_0(value: str) -> CustomerInFxClassType0:
    if value in CUSTOMER_IN_FX_CLASS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CUSTOMER_IN_FX_CLASS_TYPE_0_VALUES!r}")
