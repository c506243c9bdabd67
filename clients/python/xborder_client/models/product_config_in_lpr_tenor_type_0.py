from typing import Literal

ProductConfigInLprTenorType0 = Literal["1y", "5y"]

PRODUCT_CONFIG_IN_LPR_TENOR_TYPE_0_VALUES: set[ProductConfigInLprTenorType0] = {
    "1y",
    "5y",
}


def check_product_config_in_lpr_tenor_type_0(value: str) -> ProductConfigInLprTenorType0:
    if value in PRODUCT_CONFIG_IN_LPR_TENOR_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_CONFIG_IN_LPR_TENOR_TYPE_0_VALUES!r}")
