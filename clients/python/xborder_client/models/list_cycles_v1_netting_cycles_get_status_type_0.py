from enum import StrEnum


class ListCyclesV1NettingCyclesGetStatusType0(StrEnum):
    CLOSED = "closed"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
