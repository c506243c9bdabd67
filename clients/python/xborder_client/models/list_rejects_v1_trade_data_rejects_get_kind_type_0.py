from enum import StrEnum


class ListRejectsV1TradeDataRejectsGetKindType0(StrEnum):
    ORDERS = "orders"
    PAYMENTS = "payments"
    REFUNDS = "refunds"
    WAYBILLS = "waybills"

    def __str__(self) -> str:
        return str(self.value)
