from typing import Literal

SmeLoansListStatusType0 = Literal[
    "accepted", "active", "applied", "approved", "declined", "offer_declined", "offered", "repaid", "written_off"
]

SME_LOANS_LIST_STATUS_TYPE_0_VALUES: set[SmeLoansListStatusType0] = {
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


def check_sme_loans_list_status_type_0(value: str) -> SmeLoansListStatusType0:
    if value in SME_LOANS_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SME_LOANS_LIST_STATUS_TYPE_0_VALUES!r}")
