from typing import Literal

CustomersListKindType0 = Literal["enterprise", "individual", "individual_business", "individual_trade_operator"]

CUSTOMERS_LIST_KIND_TYPE_0_VALUES: set[CustomersListKindType0] = {
    "enterprise",
    "individual",
    "individual_business",
    "individual_trade_operator",
}


def check_customers_list_kind_type_0(value: str) -> CustomersListKindType0:
    if value in CUSTOMERS_LIST_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CUSTOMERS_LIST_KIND_TYPE_0_VALUES!r}")
