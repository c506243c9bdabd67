import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.statistics_out_payment_stat_out import StatisticsOutPaymentStatOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_date_from = date_from.isoformat()
    params["date_from"] = json_date_from

    json_date_to = date_to.isoformat()
    params["date_to"] = json_date_to

    params["group_by"] = group_by

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/monitoring/payments",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | StatisticsOutPaymentStatOut | None:
    if response.status_code == 200:
        response_200 = StatisticsOutPaymentStatOut.from_dict(response.json())

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
) -> Response[Problem | StatisticsOutPaymentStatOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Response[Problem | StatisticsOutPaymentStatOut]:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated, no spaces: purpose, beneficiary_country,
            merchant_kind, currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatisticsOutPaymentStatOut]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Problem | StatisticsOutPaymentStatOut | None:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated, no spaces: purpose, beneficiary_country,
            merchant_kind, currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatisticsOutPaymentStatOut
    """

    return sync_detailed(
        client=client,
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Response[Problem | StatisticsOutPaymentStatOut]:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated, no spaces: purpose, beneficiary_country,
            merchant_kind, currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatisticsOutPaymentStatOut]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Problem | StatisticsOutPaymentStatOut | None:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated, no spaces: purpose, beneficiary_country,
            merchant_kind, currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatisticsOutPaymentStatOut
    """

    return (
        await asyncio_detailed(
            client=client,
            date_from=date_from,
            date_to=date_to,
            group_by=group_by,
        )
    ).parsed
