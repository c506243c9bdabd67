import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.balance_out import BalanceOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: UUID,
    *,
    as_of: datetime.datetime | None | Unset = UNSET,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.datetime):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    json_as_of_date: None | str | Unset
    if isinstance(as_of_date, Unset):
        json_as_of_date = UNSET
    elif isinstance(as_of_date, datetime.date):
        json_as_of_date = as_of_date.isoformat()
    else:
        json_as_of_date = as_of_date
    params["as_of_date"] = json_as_of_date

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/accounts/{account_id}/balance".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BalanceOut | Problem | None:
    if response.status_code == 200:
        response_200 = BalanceOut.from_dict(response.json())

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
) -> Response[BalanceOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | None | Unset = UNSET,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> Response[BalanceOut | Problem]:
    """Balance now, as of an instant, or as of a value date

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        account_id (UUID):
        as_of (datetime.datetime | None | Unset): recorded instant (RFC 3339 with offset): what
            the ledger knew then
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): balance at the end of
            that day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BalanceOut | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        as_of=as_of,
        as_of_date=as_of_date,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | None | Unset = UNSET,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> BalanceOut | Problem | None:
    """Balance now, as of an instant, or as of a value date

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        account_id (UUID):
        as_of (datetime.datetime | None | Unset): recorded instant (RFC 3339 with offset): what
            the ledger knew then
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): balance at the end of
            that day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BalanceOut | Problem
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        as_of=as_of,
        as_of_date=as_of_date,
    ).parsed


async def asyncio_detailed(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | None | Unset = UNSET,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> Response[BalanceOut | Problem]:
    """Balance now, as of an instant, or as of a value date

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        account_id (UUID):
        as_of (datetime.datetime | None | Unset): recorded instant (RFC 3339 with offset): what
            the ledger knew then
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): balance at the end of
            that day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BalanceOut | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        as_of=as_of,
        as_of_date=as_of_date,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.datetime | None | Unset = UNSET,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> BalanceOut | Problem | None:
    """Balance now, as of an instant, or as of a value date

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        account_id (UUID):
        as_of (datetime.datetime | None | Unset): recorded instant (RFC 3339 with offset): what
            the ledger knew then
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): balance at the end of
            that day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BalanceOut | Problem
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            as_of=as_of,
            as_of_date=as_of_date,
        )
    ).parsed
