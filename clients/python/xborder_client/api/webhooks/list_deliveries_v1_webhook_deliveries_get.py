from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_out import DeliveryOut
from ...models.list_deliveries_v1_webhook_deliveries_get_status_type_0 import (
    ListDeliveriesV1WebhookDeliveriesGetStatusType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    endpoint_id: None | Unset | UUID = UNSET,
    status: ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_endpoint_id: None | str | Unset
    if isinstance(endpoint_id, Unset):
        json_endpoint_id = UNSET
    elif isinstance(endpoint_id, UUID):
        json_endpoint_id = str(endpoint_id)
    else:
        json_endpoint_id = endpoint_id
    params["endpoint_id"] = json_endpoint_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhook-deliveries",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | list[DeliveryOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = DeliveryOut.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | list[DeliveryOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: None | Unset | UUID = UNSET,
    status: ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | list[DeliveryOut]]:
    """Deliveries with their attempts

    Args:
        endpoint_id (None | Unset | UUID):
        status (ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[DeliveryOut]]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: None | Unset | UUID = UNSET,
    status: ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Any | list[DeliveryOut] | None:
    """Deliveries with their attempts

    Args:
        endpoint_id (None | Unset | UUID):
        status (ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[DeliveryOut]
    """

    return sync_detailed(
        client=client,
        endpoint_id=endpoint_id,
        status=status,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: None | Unset | UUID = UNSET,
    status: ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | list[DeliveryOut]]:
    """Deliveries with their attempts

    Args:
        endpoint_id (None | Unset | UUID):
        status (ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[DeliveryOut]]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: None | Unset | UUID = UNSET,
    status: ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Any | list[DeliveryOut] | None:
    """Deliveries with their attempts

    Args:
        endpoint_id (None | Unset | UUID):
        status (ListDeliveriesV1WebhookDeliveriesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[DeliveryOut]
    """

    return (
        await asyncio_detailed(
            client=client,
            endpoint_id=endpoint_id,
            status=status,
            limit=limit,
        )
    ).parsed
