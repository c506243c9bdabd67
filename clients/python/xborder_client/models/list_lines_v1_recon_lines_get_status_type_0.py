from enum import StrEnum


class ListLinesV1ReconLinesGetStatusType0(StrEnum):
    MATCHED = "matched"
    OPEN = "open"
    SPLIT = "split"

    def __str__(self) -> str:
        return str(self.value)
