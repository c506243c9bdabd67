from typing import Literal

PostingOutPhase = Literal["hold", "posted", "release"]

POSTING_OUT_PHASE_VALUES: set[PostingOutPhase] = {
    "hold",
    "posted",
    "release",
}


def check_posting_out_phase(value: str) -> PostingOutPhase:
    if value in POSTING_OUT_PHASE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {POSTING_OUT_PHASE_VALUES!r}")
