from enum import StrEnum


class PartnerFlowInDirection(StrEnum):
    FROM_BANK = "from_bank"
    TO_BANK = "to_bank"

    def __str__(self) -> str:
        return str(self.value)
