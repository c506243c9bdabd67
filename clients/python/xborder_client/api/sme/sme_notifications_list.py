from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_sme_notification_out import PageSmeNotificationOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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
        "url": "/v1/sme/notifications",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageSmeNotificationOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageSmeNotificationOut.from_dict(response.json())

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
) -> Response[PageSmeNotificationOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageSmeNotificationOut | Problem]:
    """The merchant's notifications, newest first

     An offer ready to accept, an instalment due in 3 days (once per instalment), a loan fallen overdue,
    a margin call on the merchant's pledged goods. Only the caller's merchant's; each is also delivered
    to the institution as a webhook event of the same type.

    **Access**: roles `sme`; an API key needs the scope `financing:read` (else 403 `forbidden_scope`).

    Args:
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageSmeNotificationOut | Problem]
    """

    kwargs = _get_kwargs(
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
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageSmeNotificationOut | Problem | None:
    """The merchant's notifications, newest first

     An offer ready to accept, an instalment due in 3 days (once per instalment), a loan fallen overdue,
    a margin call on the merchant's pledged goods. Only the caller's merchant's; each is also delivered
    to the institution as a webhook event of the same type.

    **Access**: roles `sme`; an API key needs the scope `financing:read` (else 403 `forbidden_scope`).

    Args:
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageSmeNotificationOut | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageSmeNotificationOut | Problem]:
    """The merchant's notifications, newest first

     An offer ready to accept, an instalment due in 3 days (once per instalment), a loan fallen overdue,
    a margin call on the merchant's pledged goods. Only the caller's merchant's; each is also delivered
    to the institution as a webhook event of the same type.

    **Access**: roles `sme`; an API key needs the scope `financing:read` (else 403 `forbidden_scope`).

    Args:
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageSmeNotificationOut | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageSmeNotificationOut | Problem | None:
    """The merchant's notifications, newest first

     An offer ready to accept, an instalment due in 3 days (once per instalment), a loan fallen overdue,
    a margin call on the merchant's pledged goods. Only the caller's merchant's; each is also delivered
    to the institution as a webhook event of the same type.

    **Access**: roles `sme`; an API key needs the scope `financing:read` (else 403 `forbidden_scope`).

    Args:
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageSmeNotificationOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
