from typing import Literal

ApiKeyInRole = Literal["platform", "system"]

API_KEY_IN_ROLE_VALUES: set[ApiKeyInRole] = {
    "platform",
    "system",
}


def check_api_key_in_role(value: str) -> ApiKeyInRole:
    if value in API_KEY_IN_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_IN_ROLE_VALUES!r}")
