from enum import StrEnum


class LprInTenor(StrEnum):
    VALUE_0 = "1y"
    VALUE_1 = "5y"

    def __str__(self) -> str:
        return str(self.value)
