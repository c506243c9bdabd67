from enum import StrEnum


class PushRefundsFileV1TradeDataRefundsFilePostFormatType0(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"

    def __str__(self) -> str:
        return str(self.value)
