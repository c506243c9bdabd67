from typing import Literal

ReconStatementsFileFormatType0 = Literal["camt.053", "camt.054", "csv", "mt940"]

RECON_STATEMENTS_FILE_FORMAT_TYPE_0_VALUES: set[ReconStatementsFileFormatType0] = {
    "camt.053",
    "camt.054",
    "csv",
    "mt940",
}


def check_recon_statements_file_format_type_0(value: str) -> ReconStatementsFileFormatType0:
    if value in RECON_STATEMENTS_FILE_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECON_STATEMENTS_FILE_FORMAT_TYPE_0_VALUES!r}")
