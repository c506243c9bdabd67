from enum import StrEnum


class PaymentsPaymentOutStatus(StrEnum):
    HELD = "held"
    PAID = "paid"
    RELEASED = "released"

    def __str__(self) -> str:
        return str(self.value)
