from enum import StrEnum


class InstructionOutDirection(StrEnum):
    PAY = "pay"
    RECEIVE = "receive"

    def __str__(self) -> str:
        return str(self.value)
