from typing import Literal

CustomerInKind = Literal["enterprise", "individual", "individual_business", "individual_trade_operator"]

CUSTOMER_IN_KIND_VALUES: set[CustomerInKind] = {
    "enterprise",
    "individual",
    "individual_business",
    "individual_trade_operator",
}


def check_customer_in_kind(value: str) -> CustomerInKind:
    if value in CUSTOMER_IN_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CUSTOMER_IN_KIND_VALUES!r}")
