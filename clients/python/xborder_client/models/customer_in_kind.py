from enum import StrEnum


class CustomerInKind(StrEnum):
    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"
    INDIVIDUAL_BUSINESS = "individual_business"
    INDIVIDUAL_TRADE_OPERATOR = "individual_trade_operator"

    def __str__(self) -> str:
        return str(self.value)
