from typing import Literal

ListCustomersV1CustomersGetKindType0 = Literal[
    "enterprise", "individual", "individual_business", "individual_trade_operator"
]

LIST_CUSTOMERS_V1_CUSTOMERS_GET_KIND_TYPE_0_VALUES: set[ListCustomersV1CustomersGetKindType0] = {
    "enterprise",
    "individual",
    "individual_business",
    "individual_trade_operator",
}


def check_list_customers_v1_customers_get_kind_type_0(value: str) -> ListCustomersV1CustomersGetKindType0:
    if value in LIST_CUSTOMERS_V1_CUSTOMERS_GET_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CUSTOMERS_V1_CUSTOMERS_GET_KIND_TYPE_0_VALUES!r}"
    )
