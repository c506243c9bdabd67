from typing import Literal

ListExceptionsV1ReconExceptionsGetSideType0 = Literal["entry", "line"]

LIST_EXCEPTIONS_V1_RECON_EXCEPTIONS_GET_SIDE_TYPE_0_VALUES: set[ListExceptionsV1ReconExceptionsGetSideType0] = {
    "entry",
    "line",
}


def check_list_exceptions_v1_recon_exceptions_get_side_type_0(
    value: str,
) -> ListExceptionsV1ReconExceptionsGetSideType0:
    if value in LIST_EXCEPTIONS_V1_RECON_EXCEPTIONS_GET_SIDE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_EXCEPTIONS_V1_RECON_EXCEPTIONS_GET_SIDE_TYPE_0_VALUES!r}"
    )
