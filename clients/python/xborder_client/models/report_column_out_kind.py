from enum import StrEnum


class ReportColumnOutKind(StrEnum):
    DATE = "date"
    INT = "int"
    MONEY = "money"
    PERCENT = "percent"
    RATE = "rate"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
