from enum import StrEnum


class OrderDetailOutMatchStatus(StrEnum):
    MATCHED = "matched"
    MISMATCHED = "mismatched"
    PARTIAL = "partial"

    def __str__(self) -> str:
        return str(self.value)
