from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_list import CustomerList
from ...models.list_customers_v1_customers_get_kind_type_0 import (
    ListCustomersV1CustomersGetKindType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    ref: None | str | Unset = UNSET,
    kind: ListCustomersV1CustomersGetKindType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_ref: None | str | Unset
    if isinstance(ref, Unset):
        json_ref = UNSET
    else:
        json_ref = ref
    params["ref"] = json_ref

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, str):
        json_kind = kind
    else:
        json_kind = kind
    params["kind"] = json_kind

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
        "url": "/v1/customers",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | CustomerList | None:
    if response.status_code == 200:
        response_200 = CustomerList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | CustomerList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    ref: None | str | Unset = UNSET,
    kind: ListCustomersV1CustomersGetKindType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | CustomerList]:
    """List customers (or find one by ref)

    Args:
        ref (None | str | Unset):
        kind (ListCustomersV1CustomersGetKindType0 | None | Unset):
        after (None | Unset | UUID): id of the last customer of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CustomerList]
    """

    kwargs = _get_kwargs(
        ref=ref,
        kind=kind,
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
    ref: None | str | Unset = UNSET,
    kind: ListCustomersV1CustomersGetKindType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | CustomerList | None:
    """List customers (or find one by ref)

    Args:
        ref (None | str | Unset):
        kind (ListCustomersV1CustomersGetKindType0 | None | Unset):
        after (None | Unset | UUID): id of the last customer of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CustomerList
    """

    return sync_detailed(
        client=client,
        ref=ref,
        kind=kind,
        after=after,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    ref: None | str | Unset = UNSET,
    kind: ListCustomersV1CustomersGetKindType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | CustomerList]:
    """List customers (or find one by ref)

    Args:
        ref (None | str | Unset):
        kind (ListCustomersV1CustomersGetKindType0 | None | Unset):
        after (None | Unset | UUID): id of the last customer of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CustomerList]
    """

    kwargs = _get_kwargs(
        ref=ref,
        kind=kind,
        after=after,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    ref: None | str | Unset = UNSET,
    kind: ListCustomersV1CustomersGetKindType0 | None | Unset = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | CustomerList | None:
    """List customers (or find one by ref)

    Args:
        ref (None | str | Unset):
        kind (ListCustomersV1CustomersGetKindType0 | None | Unset):
        after (None | Unset | UUID): id of the last customer of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CustomerList
    """

    return (
        await asyncio_detailed(
            client=client,
            ref=ref,
            kind=kind,
            after=after,
            limit=limit,
        )
    ).parsed
