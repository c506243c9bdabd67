from typing import Literal

ReconStatementLineOutStatus = Literal["matched", "open", "split"]

RECON_STATEMENT_LINE_OUT_STATUS_VALUES: set[ReconStatementLineOutStatus] = {
    "matched",
    "open",
    "split",
}


def check_recon_statement_line_out_status(value: str) -> ReconStatementLineOutStatus:
    if value in RECON_STATEMENT_LINE_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECON_STATEMENT_LINE_OUT_STATUS_VALUES!r}")
