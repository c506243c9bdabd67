from enum import StrEnum


class ReportParamOutType(StrEnum):
    DATE = "date"
    INT = "int"
    STR = "str"
    UUID = "uuid"

    def __str__(self) -> str:
        return str(self.value)
