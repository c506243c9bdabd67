import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.report_out import ReportOut
from ...models.reports_trial_balance_get_format_type_0 import (
    ReportsTrialBalanceGetFormatType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: None | ReportsTrialBalanceGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, str):
        json_format_ = format_
    else:
        json_format_ = format_
    params["format"] = json_format_

    params["ledger"] = ledger

    json_as_of_date: str | Unset = UNSET
    if not isinstance(as_of_date, Unset):
        json_as_of_date = as_of_date.isoformat()
    params["as_of_date"] = json_as_of_date

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/trial_balance",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReportOut | None:
    if response.status_code == 200:
        response_200 = ReportOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ReportOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: None | ReportsTrialBalanceGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
) -> Response[Problem | ReportOut]:
    """Trial balance (JSON, or CSV with ?format=csv or Accept: text/csv)

     Debits, credits and balance per account; totals per currency net to zero.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsTrialBalanceGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportOut]
    """

    kwargs = _get_kwargs(
        format_=format_,
        ledger=ledger,
        as_of_date=as_of_date,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: None | ReportsTrialBalanceGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
) -> Problem | ReportOut | None:
    """Trial balance (JSON, or CSV with ?format=csv or Accept: text/csv)

     Debits, credits and balance per account; totals per currency net to zero.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsTrialBalanceGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReportOut
    """

    return sync_detailed(
        client=client,
        format_=format_,
        ledger=ledger,
        as_of_date=as_of_date,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: None | ReportsTrialBalanceGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
) -> Response[Problem | ReportOut]:
    """Trial balance (JSON, or CSV with ?format=csv or Accept: text/csv)

     Debits, credits and balance per account; totals per currency net to zero.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsTrialBalanceGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportOut]
    """

    kwargs = _get_kwargs(
        format_=format_,
        ledger=ledger,
        as_of_date=as_of_date,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: None | ReportsTrialBalanceGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
) -> Problem | ReportOut | None:
    """Trial balance (JSON, or CSV with ?format=csv or Accept: text/csv)

     Debits, credits and balance per account; totals per currency net to zero.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsTrialBalanceGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReportOut
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            ledger=ledger,
            as_of_date=as_of_date,
        )
    ).parsed
