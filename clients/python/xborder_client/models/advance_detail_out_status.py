from enum import StrEnum


class AdvanceDetailOutStatus(StrEnum):
    OUTSTANDING = "outstanding"
    SETTLED = "settled"

    def __str__(self) -> str:
        return str(self.value)
