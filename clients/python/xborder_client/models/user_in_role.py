from enum import StrEnum


class UserInRole(StrEnum):
    ADMIN = "admin"
    APPROVER = "approver"
    FINANCE = "finance"
    SME = "sme"

    def __str__(self) -> str:
        return str(self.value)
