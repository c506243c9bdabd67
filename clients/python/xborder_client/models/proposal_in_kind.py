from typing import Literal

ProposalInKind = Literal["adjustment", "manual_match", "split"]

PROPOSAL_IN_KIND_VALUES: set[ProposalInKind] = {
    "adjustment",
    "manual_match",
    "split",
}


def check_proposal_in_kind(value: str) -> ProposalInKind:
    if value in PROPOSAL_IN_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PROPOSAL_IN_KIND_VALUES!r}")
