from enum import StrEnum


class PushOrdersFileV1TradeDataOrdersFilePostFormatType0(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"

    def __str__(self) -> str:
        return str(self.value)
