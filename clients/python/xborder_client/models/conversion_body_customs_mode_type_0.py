from enum import StrEnum


class ConversionBodyCustomsModeType0(StrEnum):
    VALUE_0 = "9610"
    VALUE_1 = "9710"
    VALUE_2 = "9810"
    VALUE_3 = "1210"

    def __str__(self) -> str:
        return str(self.value)
