from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customers_list_kind_type_0 import CustomersListKindType0
from ...models.page_customer_out import PageCustomerOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    ref: None | str | Unset = UNSET,
    kind: CustomersListKindType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
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
        "url": "/v1/customers",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageCustomerOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageCustomerOut.from_dict(response.json())

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
) -> Response[PageCustomerOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    ref: None | str | Unset = UNSET,
    kind: CustomersListKindType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageCustomerOut | Problem]:
    """List customers in the order opened (or find one by ref)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `customers:read` (else 403 `forbidden_scope`).

    Args:
        ref (None | str | Unset):
        kind (CustomersListKindType0 | None | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCustomerOut | Problem]
    """

    kwargs = _get_kwargs(
        ref=ref,
        kind=kind,
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
    ref: None | str | Unset = UNSET,
    kind: CustomersListKindType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageCustomerOut | Problem | None:
    """List customers in the order opened (or find one by ref)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `customers:read` (else 403 `forbidden_scope`).

    Args:
        ref (None | str | Unset):
        kind (CustomersListKindType0 | None | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCustomerOut | Problem
    """

    return sync_detailed(
        client=client,
        ref=ref,
        kind=kind,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    ref: None | str | Unset = UNSET,
    kind: CustomersListKindType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageCustomerOut | Problem]:
    """List customers in the order opened (or find one by ref)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `customers:read` (else 403 `forbidden_scope`).

    Args:
        ref (None | str | Unset):
        kind (CustomersListKindType0 | None | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCustomerOut | Problem]
    """

    kwargs = _get_kwargs(
        ref=ref,
        kind=kind,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    ref: None | str | Unset = UNSET,
    kind: CustomersListKindType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageCustomerOut | Problem | None:
    """List customers in the order opened (or find one by ref)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `customers:read` (else 403 `forbidden_scope`).

    Args:
        ref (None | str | Unset):
        kind (CustomersListKindType0 | None | Unset):
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCustomerOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            ref=ref,
            kind=kind,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
