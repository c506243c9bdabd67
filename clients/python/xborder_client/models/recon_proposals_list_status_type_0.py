from typing import Literal

ReconProposalsListStatusType0 = Literal["approved", "pending", "rejected"]

RECON_PROPOSALS_LIST_STATUS_TYPE_0_VALUES: set[ReconProposalsListStatusType0] = {
    "approved",
    "pending",
    "rejected",
}


def check_recon_proposals_list_status_type_0(value: str) -> ReconProposalsListStatusType0:
    if value in RECON_PROPOSALS_LIST_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECON_PROPOSALS_LIST_STATUS_TYPE_0_VALUES!r}")
