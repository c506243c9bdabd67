from enum import StrEnum


class PostingOutPhase(StrEnum):
    HOLD = "hold"
    POSTED = "posted"
    RELEASE = "release"

    def __str__(self) -> str:
        return str(self.value)
