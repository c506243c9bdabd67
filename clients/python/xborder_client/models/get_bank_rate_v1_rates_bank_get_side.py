from enum import StrEnum


class GetBankRateV1RatesBankGetSide(StrEnum):
    BUY = "buy"
    SELL = "sell"

    def __str__(self) -> str:
        return str(self.value)
