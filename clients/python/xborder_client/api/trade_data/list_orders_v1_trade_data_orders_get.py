from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_orders_v1_trade_data_orders_get_match_status_type_0 import (
    ListOrdersV1TradeDataOrdersGetMatchStatusType0,
)
from ...models.order_list import OrderList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
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

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    elif isinstance(after, UUID):
        json_after = str(after)
    else:
        json_after = after
    params["after"] = json_after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/trade-data/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | OrderList | None:
    if response.status_code == 200:
        response_200 = OrderList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | OrderList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | OrderList]:
    """List orders with their three-document match status

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset):
        after (None | Unset | UUID): id of the last order of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | OrderList]
    """

    kwargs = _get_kwargs(
        platform=platform,
        customer_id=customer_id,
        match_status=match_status,
        after=after,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | OrderList | None:
    """List orders with their three-document match status

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset):
        after (None | Unset | UUID): id of the last order of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | OrderList
    """

    return sync_detailed(
        client=client,
        platform=platform,
        customer_id=customer_id,
        match_status=match_status,
        after=after,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | OrderList]:
    """List orders with their three-document match status

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset):
        after (None | Unset | UUID): id of the last order of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | OrderList]
    """

    kwargs = _get_kwargs(
        platform=platform,
        customer_id=customer_id,
        match_status=match_status,
        after=after,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    platform: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    match_status: ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | OrderList | None:
    """List orders with their three-document match status

    Args:
        platform (None | str | Unset):
        customer_id (None | Unset | UUID):
        match_status (ListOrdersV1TradeDataOrdersGetMatchStatusType0 | None | Unset):
        after (None | Unset | UUID): id of the last order of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | OrderList
    """

    return (
        await asyncio_detailed(
            client=client,
            platform=platform,
            customer_id=customer_id,
            match_status=match_status,
            after=after,
            limit=limit,
        )
    ).parsed
