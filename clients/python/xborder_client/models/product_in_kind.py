from enum import StrEnum


class ProductInKind(StrEnum):
    CREDIT_INSURANCE = "credit_insurance"
    ORDER = "order"
    WAREHOUSE_RECEIPT = "warehouse_receipt"

    def __str__(self) -> str:
        return str(self.value)
