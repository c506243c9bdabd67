from enum import StrEnum


class RateOutKind(StrEnum):
    BUY = "buy"
    MID = "mid"
    SELL = "sell"

    def __str__(self) -> str:
        return str(self.value)
