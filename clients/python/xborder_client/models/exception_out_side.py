from enum import StrEnum


class ExceptionOutSide(StrEnum):
    ENTRY = "entry"
    LINE = "line"

    def __str__(self) -> str:
        return str(self.value)
