from typing import Literal

ModelsStatementLineOutSide = Literal["credit", "debit"]

MODELS_STATEMENT_LINE_OUT_SIDE_VALUES: set[ModelsStatementLineOutSide] = {
    "credit",
    "debit",
}


def check_models_statement_line_out_side(value: str) -> ModelsStatementLineOutSide:
    if value in MODELS_STATEMENT_LINE_OUT_SIDE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MODELS_STATEMENT_LINE_OUT_SIDE_VALUES!r}")
