from enum import StrEnum


class ListReceiptsV1ReceiptsGetStatusType0(StrEnum):
    CREDITED = "credited"
    PENDING_VERIFICATION = "pending_verification"
    RELEASED = "released"
    SUSPENSE = "suspense"

    def __str__(self) -> str:
        return str(self.value)
