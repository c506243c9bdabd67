from enum import StrEnum


class ReconStatementLineOutStatus(StrEnum):
    MATCHED = "matched"
    OPEN = "open"
    SPLIT = "split"

    def __str__(self) -> str:
        return str(self.value)
