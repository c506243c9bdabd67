from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_account_out import PageAccountOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    ledger_id: UUID,
    *,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
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

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledgers/{ledger_id}/accounts".format(
            ledger_id=quote(str(ledger_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageAccountOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageAccountOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PageAccountOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAccountOut | Problem]:
    """List accounts by code (by owner or metadata value)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 100) Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAccountOut | Problem]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> PageAccountOut | Problem | None:
    """List accounts by code (by owner or metadata value)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 100) Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAccountOut | Problem
    """

    return sync_detailed(
        ledger_id=ledger_id,
        client=client,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAccountOut | Problem]:
    """List accounts by code (by owner or metadata value)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 100) Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAccountOut | Problem]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> PageAccountOut | Problem | None:
    """List accounts by code (by owner or metadata value)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset): metadata key to filter on
        meta_value (None | str | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 100) Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAccountOut | Problem
    """

    return (
        await asyncio_detailed(
            ledger_id=ledger_id,
            client=client,
            owner_ref=owner_ref,
            meta_key=meta_key,
            meta_value=meta_value,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
