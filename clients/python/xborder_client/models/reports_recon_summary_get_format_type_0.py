from typing import Literal

ReportsReconSummaryGetFormatType0 = Literal["csv", "json"]

REPORTS_RECON_SUMMARY_GET_FORMAT_TYPE_0_VALUES: set[ReportsReconSummaryGetFormatType0] = {
    "csv",
    "json",
}


def check_reports_recon_summary_get_format_type_0(value: str) -> ReportsReconSummaryGetFormatType0:
    if value in REPORTS_RECON_SUMMARY_GET_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORTS_RECON_SUMMARY_GET_FORMAT_TYPE_0_VALUES!r}")
