from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_receipts_v1_receipts_get_status_type_0 import (
    ListReceiptsV1ReceiptsGetStatusType0,
)
from ...models.receipt_out import ReceiptOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    customer_id: None | Unset | UUID = UNSET,
    status: ListReceiptsV1ReceiptsGetStatusType0 | None | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    elif isinstance(customer_id, UUID):
        json_customer_id = str(customer_id)
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    json_before: None | str | Unset
    if isinstance(before, Unset):
        json_before = UNSET
    elif isinstance(before, UUID):
        json_before = str(before)
    else:
        json_before = before
    params["before"] = json_before

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/receipts",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | list[ReceiptOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ReceiptOut.from_dict(response_200_item_data)

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
) -> Response[Any | list[ReceiptOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    customer_id: None | Unset | UUID = UNSET,
    status: ListReceiptsV1ReceiptsGetStatusType0 | None | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | list[ReceiptOut]]:
    """List receipts, newest first

    Args:
        customer_id (None | Unset | UUID):
        status (ListReceiptsV1ReceiptsGetStatusType0 | None | Unset):
        before (None | Unset | UUID): id of the last receipt of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[ReceiptOut]]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        status=status,
        before=before,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    customer_id: None | Unset | UUID = UNSET,
    status: ListReceiptsV1ReceiptsGetStatusType0 | None | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | list[ReceiptOut] | None:
    """List receipts, newest first

    Args:
        customer_id (None | Unset | UUID):
        status (ListReceiptsV1ReceiptsGetStatusType0 | None | Unset):
        before (None | Unset | UUID): id of the last receipt of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[ReceiptOut]
    """

    return sync_detailed(
        client=client,
        customer_id=customer_id,
        status=status,
        before=before,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    customer_id: None | Unset | UUID = UNSET,
    status: ListReceiptsV1ReceiptsGetStatusType0 | None | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | list[ReceiptOut]]:
    """List receipts, newest first

    Args:
        customer_id (None | Unset | UUID):
        status (ListReceiptsV1ReceiptsGetStatusType0 | None | Unset):
        before (None | Unset | UUID): id of the last receipt of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[ReceiptOut]]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        status=status,
        before=before,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    customer_id: None | Unset | UUID = UNSET,
    status: ListReceiptsV1ReceiptsGetStatusType0 | None | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | list[ReceiptOut] | None:
    """List receipts, newest first

    Args:
        customer_id (None | Unset | UUID):
        status (ListReceiptsV1ReceiptsGetStatusType0 | None | Unset):
        before (None | Unset | UUID): id of the last receipt of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[ReceiptOut]
    """

    return (
        await asyncio_detailed(
            client=client,
            customer_id=customer_id,
            status=status,
            before=before,
            limit=limit,
        )
    ).parsed
