from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_order_out import PageOrderOut
from ...models.problem import Problem
from ...models.trade_data_orders_list_match_status_type_0 import (
    TradeDataOrdersListMatchStatusType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: None | TradeDataOrdersListMatchStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_platform: None | str | Unset
    if isinstance(platform, Unset):
        json_platform = UNSET
    else:
        json_platform = platform
    params["platform"] = json_platform

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    elif isinstance(customer_id, UUID):
        json_customer_id = str(customer_id)
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_match_status: None | str | Unset
    if isinstance(match_status, Unset):
        json_match_status = UNSET
    elif isinstance(match_status, str):
        json_match_status = match_status
    else:
        json_match_status = match_status
    params["match_status"] = json_match_status

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
        "url": "/v1/trade-data/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageOrderOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageOrderOut.from_dict(response.json())

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
) -> Response[PageOrderOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: None | TradeDataOrdersListMatchStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageOrderOut | Problem]:
    """List orders in the order received, with their three-document match status

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (None | TradeDataOrdersListMatchStatusType0 | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageOrderOut | Problem]
    """

    kwargs = _get_kwargs(
        platform=platform,
        customer_id=customer_id,
        match_status=match_status,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: None | TradeDataOrdersListMatchStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageOrderOut | Problem | None:
    """List orders in the order received, with their three-document match status

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (None | TradeDataOrdersListMatchStatusType0 | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageOrderOut | Problem
    """

    return sync_detailed(
        client=client,
        platform=platform,
        customer_id=customer_id,
        match_status=match_status,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: None | TradeDataOrdersListMatchStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageOrderOut | Problem]:
    """List orders in the order received, with their three-document match status

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (None | TradeDataOrdersListMatchStatusType0 | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageOrderOut | Problem]
    """

    kwargs = _get_kwargs(
        platform=platform,
        customer_id=customer_id,
        match_status=match_status,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: None | TradeDataOrdersListMatchStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageOrderOut | Problem | None:
    """List orders in the order received, with their three-document match status

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (None | TradeDataOrdersListMatchStatusType0 | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageOrderOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            platform=platform,
            customer_id=customer_id,
            match_status=match_status,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
