from typing import Literal

ReportsLoanPortfolioGetFormatType0 = Literal["csv", "json"]

REPORTS_LOAN_PORTFOLIO_GET_FORMAT_TYPE_0_VALUES: set[ReportsLoanPortfolioGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_loan_portfolio_get_format_type_0(value: str) -> ReportsLoanPortfolioGetFormatType0:
    if value in REPORTS_LOAN_PORTFOLIO_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_LOAN_PORTFOLIO_GET_FORMAT_TYPE_0_VALUES!r}")
