from typing import Literal

ImportStatementV1ReconStatementsFilePostFormatType0 = Literal["camt.053", "camt.054", "csv", "mt940"]

IMPORT_STATEMENT_V1_RECON_STATEMENTS_FILE_POST_FORMAT_TYPE_0_VALUES: set[
    ImportStatementV1ReconStatementsFilePostFormatType0
] = {
    "camt.053",
    "camt.054",
    "csv",
    "mt940",
}


def check_import_statement_v1_recon_statements_file_post_format_type_0(
    value: str,
) -> ImportStatementV1ReconStatementsFilePostFormatType0:
    if value in IMPORT_STATEMENT_V1_RECON_STATEMENTS_FILE_POST_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {IMPORT_STATEMENT_V1_RECON_STATEMENTS_FILE_POST_FORMAT_TYPE_0_VALUES!r}"
    )
