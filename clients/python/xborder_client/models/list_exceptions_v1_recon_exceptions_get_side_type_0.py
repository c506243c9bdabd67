from enum import StrEnum


class ListExceptionsV1ReconExceptionsGetSideType0(StrEnum):
    ENTRY = "entry"
    LINE = "line"

    def __str__(self) -> str:
        return str(self.value)
