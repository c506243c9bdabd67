from typing import Literal

GetBankRateV1RatesBankGetSide = Literal["buy", "sell"]

GET_BANK_RATE_V1_RATES_BANK_GET_SIDE_VALUES: set[GetBankRateV1RatesBankGetSide] = {
    "buy",
    "sell",
}


def check_get_bank_rate_v1_rates_bank_get_side(value: str) -> GetBankRateV1RatesBankGetSide:
    if value in GET_BANK_RATE_V1_RATES_BANK_GET_SIDE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_BANK_RATE_V1_RATES_BANK_GET_SIDE_VALUES!r}")
