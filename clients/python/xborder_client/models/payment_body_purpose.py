from enum import StrEnum


class PaymentBodyPurpose(StrEnum):
    BUYER_REFUND = "buyer_refund"
    GOODS = "goods"
    LOGISTICS = "logistics"
    OVERSEAS_WAREHOUSING = "overseas_warehousing"
    SERVICE_FEES = "service_fees"

    def __str__(self) -> str:
        return str(self.value)
