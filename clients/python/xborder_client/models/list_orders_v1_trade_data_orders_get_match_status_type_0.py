from enum import StrEnum


class ListOrdersV1TradeDataOrdersGetMatchStatusType0(StrEnum):
    MATCHED = "matched"
    MISMATCHED = "mismatched"
    PARTIAL = "partial"

    def __str__(self) -> str:
        return str(self.value)
