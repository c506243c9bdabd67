import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.trial_balance_out import TrialBalanceOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    ledger_id: UUID,
    *,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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
        "url": "/v1/ledgers/{ledger_id}/trial-balance".format(
            ledger_id=quote(str(ledger_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TrialBalanceOut | None:
    if response.status_code == 200:
        response_200 = TrialBalanceOut.from_dict(response.json())

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
) -> Response[Problem | TrialBalanceOut]:
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
    as_of_date: datetime.date | None | Unset = UNSET,
) -> Response[Problem | TrialBalanceOut]:
    """Trial balance per currency

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): as of the end of that
            day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TrialBalanceOut]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        as_of_date=as_of_date,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> Problem | TrialBalanceOut | None:
    """Trial balance per currency

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): as of the end of that
            day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TrialBalanceOut
    """

    return sync_detailed(
        ledger_id=ledger_id,
        client=client,
        as_of_date=as_of_date,
    ).parsed


async def asyncio_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> Response[Problem | TrialBalanceOut]:
    """Trial balance per currency

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): as of the end of that
            day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TrialBalanceOut]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        as_of_date=as_of_date,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of_date: datetime.date | None | Unset = UNSET,
) -> Problem | TrialBalanceOut | None:
    """Trial balance per currency

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):
        as_of_date (datetime.date | None | Unset): value date (YYYY-MM-DD): as of the end of that
            day

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TrialBalanceOut
    """

    return (
        await asyncio_detailed(
            ledger_id=ledger_id,
            client=client,
            as_of_date=as_of_date,
        )
    ).parsed
