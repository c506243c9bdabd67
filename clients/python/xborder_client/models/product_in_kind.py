from typing import Literal

ProductInKind = Literal["credit_insurance", "order", "warehouse_receipt"]

PRODUCT_IN_KIND_VALUES: set[ProductInKind] = {
    "credit_insurance",
    "order",
    "warehouse_receipt",
}


def check_product_in_kind(value: str) -> ProductInKind:
    if value in PRODUCT_IN_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_IN_KIND_VALUES!r}")
