from enum import StrEnum


class RunV1ReportsNameGetBy(StrEnum):
    ALL = "all"
    CUSTOMS_MODE = "customs_mode"
    DESTINATION_COUNTRY = "destination_country"
    MERCHANT_KIND = "merchant_kind"

    def __str__(self) -> str:
        return str(self.value)
