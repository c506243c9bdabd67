from enum import StrEnum


class AdvanceSettlementOutSource(StrEnum):
    ACCOUNT = "account"
    OUTSIDE = "outside"
    PROCEEDS = "proceeds"

    def __str__(self) -> str:
        return str(self.value)
