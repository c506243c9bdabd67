from enum import StrEnum


class RefundRecordKind(StrEnum):
    CHARGEBACK = "chargeback"
    REFUND = "refund"
    RETURN = "return"

    def __str__(self) -> str:
        return str(self.value)
