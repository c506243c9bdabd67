from typing import Literal

ApiKeyInScopesType0Item = Literal[
    "approvals:read",
    "audit:read",
    "customers:read",
    "customers:write",
    "financing:read",
    "financing:write",
    "keys:manage",
    "ledger:read",
    "ledger:write",
    "recon:read",
    "recon:write",
    "reports:read",
    "settlement:read",
    "settlement:write",
    "tradedata:write",
    "users:manage",
    "webhooks:manage",
]

API_KEY_IN_SCOPES_TYPE_0_ITEM_VALUES: set[ApiKeyInScopesType0Item] = {
    "approvals:read",
    "audit:read",
    "customers:read",
    "customers:write",
    "financing:read",
    "financing:write",
    "keys:manage",
    "ledger:read",
    "ledger:write",
    "recon:read",
    "recon:write",
    "reports:read",
    "settlement:read",
    "settlement:write",
    "tradedata:write",
    "users:manage",
    "webhooks:manage",
}


def check_api_key_in_scopes_type_0_item(value: str) -> ApiKeyInScopesType0Item:
    if value in API_KEY_IN_SCOPES_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_IN_SCOPES_TYPE_0_ITEM_VALUES!r}")
