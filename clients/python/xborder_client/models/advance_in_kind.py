from typing import Literal

AdvanceInKind = Literal["logistics", "tax", "warehousing"]

ADVANCE_IN_KIND_VALUES: set[AdvanceInKind] = {
    "logistics",
    "tax",
    "warehousing",
}


def check_advance_in_kind(value: str) -> AdvanceInKind:
    if value in ADVANCE_IN_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ADVANCE_IN_KIND_VALUES!r}")
