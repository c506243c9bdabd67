from enum import StrEnum


class ImportStatementV1ReconStatementsFilePostFormatType0(StrEnum):
    CAMT_053 = "camt.053"
    CAMT_054 = "camt.054"
    CSV = "csv"
    MT940 = "mt940"

    def __str__(self) -> str:
        return str(self.value)
