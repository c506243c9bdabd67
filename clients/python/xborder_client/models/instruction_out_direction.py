from typing import Literal

InstructionOutDirection = Literal["pay", "receive"]

INSTRUCTION_OUT_DIRECTION_VALUES: set[InstructionOutDirection] = {
    "pay",
    "receive",
}


def check_instruction_out_direction(value: str) -> InstructionOutDirection:
    if value in INSTRUCTION_OUT_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {INSTRUCTION_OUT_DIRECTION_VALUES!r}")
