from enum import StrEnum


class PushWaybillsFileV1TradeDataWaybillsFilePostFormatType0(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"

    def __str__(self) -> str:
        return str(self.value)
