from typing import Literal

UserInRole = Literal["admin", "approver", "finance", "sme"]

USER_IN_ROLE_VALUES: set[UserInRole] = {
    "admin",
    "approver",
    "finance",
    "sme",
}


def check_user_in_role(value: str) -> UserInRole:
    if value in USER_IN_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {USER_IN_ROLE_VALUES!r}")
