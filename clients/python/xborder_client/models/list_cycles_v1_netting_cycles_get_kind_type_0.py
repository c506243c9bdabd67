from enum import StrEnum


class ListCyclesV1NettingCyclesGetKindType0(StrEnum):
    MULTILATERAL = "multilateral"
    PARTNER_BANK = "partner_bank"

    def __str__(self) -> str:
        return str(self.value)
