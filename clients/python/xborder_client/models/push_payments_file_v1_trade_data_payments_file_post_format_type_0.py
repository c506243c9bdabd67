from enum import StrEnum


class PushPaymentsFileV1TradeDataPaymentsFilePostFormatType0(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"

    def __str__(self) -> str:
        return str(self.value)
