from enum import StrEnum


class ProposalInKind(StrEnum):
    ADJUSTMENT = "adjustment"
    MANUAL_MATCH = "manual_match"
    SPLIT = "split"

    def __str__(self) -> str:
        return str(self.value)
