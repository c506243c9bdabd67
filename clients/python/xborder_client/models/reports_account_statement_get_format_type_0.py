from typing import Literal

ReportsAccountStatementGetFormatType0 = Literal["csv", "json"]

REPORTS_ACCOUNT_STATEMENT_GET_FORMAT_TYPE_0_VALUES: set[ReportsAccountStatementGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_account_statement_get_format_type_0(value: str) -> ReportsAccountStatementGetFormatType0:
    if value in REPORTS_ACCOUNT_STATEMENT_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {REPORTS_ACCOUNT_STATEMENT_GET_FORMAT_TYPE_0_VALUES!r}"
    )
