from typing import Literal

FxClassInFxClass = Literal["A", "B", "C"]

FX_CLASS_IN_FX_CLASS_VALUES: set[FxClassInFxClass] = {
    "A",
    "B",
    "C",
}


def check_fx_class_in_fx_class(value: str) -> FxClassInFxClass:
    if value in FX_CLASS_IN_FX_CLASS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FX_CLASS_IN_FX_CLASS_VALUES!r}")
