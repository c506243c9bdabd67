from typing import Literal

AccountInType = Literal["asset", "equity", "expense", "income", "liability"]

ACCOUNT_IN_TYPE_VALUES: set[AccountInType] = {
    "asset",
    "equity",
    "expense",
    "income",
    "liability",
}


def check_account_in_type(value: str) -> AccountInType:
    if value in ACCOUNT_IN_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ACCOUNT_IN_TYPE_VALUES!r}")
