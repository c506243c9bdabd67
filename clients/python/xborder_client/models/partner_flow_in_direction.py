from typing import Literal

PartnerFlowInDirection = Literal["from_bank", "to_bank"]

PARTNER_FLOW_IN_DIRECTION_VALUES: set[PartnerFlowInDirection] = {
    "from_bank",
    "to_bank",
}


def check_partner_flow_in_direction(value: str) -> PartnerFlowInDirection:
    if value in PARTNER_FLOW_IN_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PARTNER_FLOW_IN_DIRECTION_VALUES!r}")
