from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_list import AccountList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    ledger_id: UUID,
    *,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_owner_ref: None | str | Unset
    if isinstance(owner_ref, Unset):
        json_owner_ref = UNSET
    else:
        json_owner_ref = owner_ref
    params["owner_ref"] = json_owner_ref

    json_meta_key: None | str | Unset
    if isinstance(meta_key, Unset):
        json_meta_key = UNSET
    else:
        json_meta_key = meta_key
    params["meta_key"] = json_meta_key

    json_meta_value: None | str | Unset
    if isinstance(meta_value, Unset):
        json_meta_value = UNSET
    else:
        json_meta_value = meta_value
    params["meta_value"] = json_meta_value

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledgers/{ledger_id}/accounts".format(
            ledger_id=quote(str(ledger_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccountList | Any | None:
    if response.status_code == 200:
        response_200 = AccountList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = cast(Any, None)
        return response_400

    if response.status_code == 401:
        response_401 = cast(Any, None)
        return response_401

    if response.status_code == 403:
        response_403 = cast(Any, None)
        return response_403

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 422:
        response_422 = cast(Any, None)
        return response_422

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AccountList | Any]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[AccountList | Any]:
    """List accounts (by owner or metadata value)

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        after (None | str | Unset): code of the last account of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountList | Any]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
        after=after,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> AccountList | Any | None:
    """List accounts (by owner or metadata value)

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        after (None | str | Unset): code of the last account of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountList | Any
    """

    return sync_detailed(
        ledger_id=ledger_id,
        client=client,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
        after=after,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[AccountList | Any]:
    """List accounts (by owner or metadata value)

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        after (None | str | Unset): code of the last account of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountList | Any]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
        after=after,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> AccountList | Any | None:
    """List accounts (by owner or metadata value)

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        after (None | str | Unset): code of the last account of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountList | Any
    """

    return (
        await asyncio_detailed(
            ledger_id=ledger_id,
            client=client,
            owner_ref=owner_ref,
            meta_key=meta_key,
            meta_value=meta_value,
            after=after,
            limit=limit,
        )
    ).parsed
