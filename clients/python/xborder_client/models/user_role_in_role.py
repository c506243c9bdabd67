from typing import Literal

UserRoleInRole = Literal["admin", "approver", "finance"]

USER_ROLE_IN_ROLE_VALUES: set[UserRoleInRole] = {
    "admin",
    "approver",
    "finance",
}


def check_user_role_in_role(value: str) -> UserRoleInRole:
    if value in USER_ROLE_IN_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {USER_ROLE_IN_ROLE_VALUES!r}")
