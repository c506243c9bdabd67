from enum import StrEnum


class ListAdvancesV1AdvancesGetStatus(StrEnum):
    ALL = "all"
    OUTSTANDING = "outstanding"

    def __str__(self) -> str:
        return str(self.value)
