from enum import StrEnum


class ListPaymentsV1PaymentsGetStatusType0(StrEnum):
    HELD = "held"
    PAID = "paid"
    RELEASED = "released"

    def __str__(self) -> str:
        return str(self.value)
