from typing import Literal

ProductConfigInScheduleMethodType0 = Literal["bullet", "equal_instalment", "equal_principal"]

PRODUCT_CONFIG_IN_SCHEDULE_METHOD_TYPE_0_VALUES: set[ProductConfigInScheduleMethodType0] = {
    "bullet",
    "equal_instalment",
    "equal_principal",
}


def check_product_config_in_schedule_method_type_0(value: str) -> ProductConfigInScheduleMethodType0:
    if value in PRODUCT_CONFIG_IN_SCHEDULE_METHOD_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_CONFIG_IN_SCHEDULE_METHOD_TYPE_0_VALUES!r}")
