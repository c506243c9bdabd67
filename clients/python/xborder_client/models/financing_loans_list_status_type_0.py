from typing import Literal

FinancingLoansListStatusType0 = Literal[
    "accepted", "active", "applied", "approved", "declined", "offer_declined", "offered", "repaid", "written_off"
]

FINANCING_LOANS_LIST_STATUS_TYPE_0_VALUES: set[FinancingLoansListStatusType0] = {
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


def check_financing_loans_list_status_type_0(value: str) -> FinancingLoansListStatusType0:
    if value in FINANCING_LOANS_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FINANCING_LOANS_LIST_STATUS_TYPE_0_VALUES!r}")
