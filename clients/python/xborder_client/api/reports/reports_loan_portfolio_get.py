from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.currency import Currency
from ...models.problem import Problem
from ...models.report_out import ReportOut
from ...models.reports_loan_portfolio_get_format_type_0 import (
    ReportsLoanPortfolioGetFormatType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: None | ReportsLoanPortfolioGetFormatType0 | Unset = UNSET,
    currency: Currency | Unset = UNSET,
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

    json_currency: str | Unset = UNSET
    if not isinstance(currency, Unset):
        json_currency = currency

    params["currency"] = json_currency

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/loan_portfolio",
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
    format_: None | ReportsLoanPortfolioGetFormatType0 | Unset = UNSET,
    currency: Currency | Unset = UNSET,
) -> Response[Problem | ReportOut]:
    """Loan portfolio (JSON, or CSV with ?format=csv or Accept: text/csv)

     Active loans by days-past-due bucket: count, principal, interest, fees, penalty; NPL per currency.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsLoanPortfolioGetFormatType0 | Unset): json (default) or csv;
            Accept: text/csv also selects CSV
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportOut]
    """

    kwargs = _get_kwargs(
        format_=format_,
        currency=currency,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: None | ReportsLoanPortfolioGetFormatType0 | Unset = UNSET,
    currency: Currency | Unset = UNSET,
) -> Problem | ReportOut | None:
    """Loan portfolio (JSON, or CSV with ?format=csv or Accept: text/csv)

     Active loans by days-past-due bucket: count, principal, interest, fees, penalty; NPL per currency.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsLoanPortfolioGetFormatType0 | Unset): json (default) or csv;
            Accept: text/csv also selects CSV
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReportOut
    """

    return sync_detailed(
        client=client,
        format_=format_,
        currency=currency,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: None | ReportsLoanPortfolioGetFormatType0 | Unset = UNSET,
    currency: Currency | Unset = UNSET,
) -> Response[Problem | ReportOut]:
    """Loan portfolio (JSON, or CSV with ?format=csv or Accept: text/csv)

     Active loans by days-past-due bucket: count, principal, interest, fees, penalty; NPL per currency.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsLoanPortfolioGetFormatType0 | Unset): json (default) or csv;
            Accept: text/csv also selects CSV
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportOut]
    """

    kwargs = _get_kwargs(
        format_=format_,
        currency=currency,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: None | ReportsLoanPortfolioGetFormatType0 | Unset = UNSET,
    currency: Currency | Unset = UNSET,
) -> Problem | ReportOut | None:
    """Loan portfolio (JSON, or CSV with ?format=csv or Accept: text/csv)

     Active loans by days-past-due bucket: count, principal, interest, fees, penalty; NPL per currency.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `reports:read` (else 403 `forbidden_scope`).

    Args:
        format_ (None | ReportsLoanPortfolioGetFormatType0 | Unset): json (default) or csv;
            Accept: text/csv also selects CSV
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)

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
            currency=currency,
        )
    ).parsed
