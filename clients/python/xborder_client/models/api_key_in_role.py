from enum import StrEnum


class ApiKeyInRole(StrEnum):
    PLATFORM = "platform"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
