from enum import StrEnum


class AdvanceInKind(StrEnum):
    LOGISTICS = "logistics"
    TAX = "tax"
    WAREHOUSING = "warehousing"

    def __str__(self) -> str:
        return str(self.value)
