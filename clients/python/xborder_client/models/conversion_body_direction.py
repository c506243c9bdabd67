from enum import StrEnum


class ConversionBodyDirection(StrEnum):
    PURCHASE = "purchase"
    SETTLE = "settle"

    def __str__(self) -> str:
        return str(self.value)
