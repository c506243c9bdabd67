from typing import Literal

ListProposalsV1ReconProposalsGetStatusType0 = Literal["approved", "pending", "rejected"]

LIST_PROPOSALS_V1_RECON_PROPOSALS_GET_STATUS_TYPE_0_VALUES: set[ListProposalsV1ReconProposalsGetStatusType0] = {
    "approved",
    "pending",
    "rejected",
}


def check_list_proposals_v1_recon_proposals_get_status_type_0(
    value: str,
) -> ListProposalsV1ReconProposalsGetStatusType0:
    if value in LIST_PROPOSALS_V1_RECON_PROPOSALS_GET_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_PROPOSALS_V1_RECON_PROPOSALS_GET_STATUS_TYPE_0_VALUES!r}"
    )
