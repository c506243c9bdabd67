from typing import Literal

SmeStatementOutStatus = Literal[
    "accepted", "active", "applied", "approved", "declined", "offer_declined", "offered", "repaid", "written_off"
]

SME_STATEMENT_OUT_STATUS_VALUES: set[SmeStatementOutStatus] = {
    "accepted",
    "active",
    "applied",
    "approved",
    "declined",
    "offer_declined",
    "offered",
    "repaid",
    "written_off",
}


def check_sme_statement_out_status(value: str) -> SmeStatementOutStatus:
    if value in SME_STATEMENT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SME_STATEMENT_OUT_STATUS_VALUES!r}")
