import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_expired_policy_advance_out import PageExpiredPolicyAdvanceOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

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
        "url": "/v1/financing/insurance-policies/expired-advances",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageExpiredPolicyAdvanceOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageExpiredPolicyAdvanceOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[PageExpiredPolicyAdvanceOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageExpiredPolicyAdvanceOut | Problem]:
    """Active loans financed under a credit-insurance policy that expired

     One row per loan and financed receivable whose policy's `valid_until` is before `as_of` (default
    today in China time). No new advance is made on such a policy (422 `policy_expired`); the daily job
    also flags each loan once (event `policy.expired_advance`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `financing:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): the business date (default today, China time)
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageExpiredPolicyAdvanceOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
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
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageExpiredPolicyAdvanceOut | Problem | None:
    """Active loans financed under a credit-insurance policy that expired

     One row per loan and financed receivable whose policy's `valid_until` is before `as_of` (default
    today in China time). No new advance is made on such a policy (422 `policy_expired`); the daily job
    also flags each loan once (event `policy.expired_advance`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `financing:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): the business date (default today, China time)
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageExpiredPolicyAdvanceOut | Problem
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageExpiredPolicyAdvanceOut | Problem]:
    """Active loans financed under a credit-insurance policy that expired

     One row per loan and financed receivable whose policy's `valid_until` is before `as_of` (default
    today in China time). No new advance is made on such a policy (422 `policy_expired`); the daily job
    also flags each loan once (event `policy.expired_advance`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `financing:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): the business date (default today, China time)
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageExpiredPolicyAdvanceOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageExpiredPolicyAdvanceOut | Problem | None:
    """Active loans financed under a credit-insurance policy that expired

     One row per loan and financed receivable whose policy's `valid_until` is before `as_of` (default
    today in China time). No new advance is made on such a policy (422 `policy_expired`); the daily job
    also flags each loan once (event `policy.expired_advance`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `financing:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): the business date (default today, China time)
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageExpiredPolicyAdvanceOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
