from typing import Literal

ProductConfigInWaterfallType0Item = Literal["fees", "interest", "penalty", "principal"]

PRODUCT_CONFIG_IN_WATERFALL_TYPE_0_ITEM_VALUES: set[ProductConfigInWaterfallType0Item] = {
    "fees",
    "interest",
    "penalty",
    "principal",
}


def check_product_config_in_waterfall_type_0_item(value: str) -> ProductConfigInWaterfallType0Item:
    if value in PRODUCT_CONFIG_IN_WATERFALL_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_CONFIG_IN_WATERFALL_TYPE_0_ITEM_VALUES!r}")
