import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.aging_report_out import AgingReportOut
from ...models.currency import Currency
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
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

    json_merchant_ref: None | str | Unset
    if isinstance(merchant_ref, Unset):
        json_merchant_ref = UNSET
    else:
        json_merchant_ref = merchant_ref
    params["merchant_ref"] = json_merchant_ref

    json_provider_ref: None | str | Unset
    if isinstance(provider_ref, Unset):
        json_provider_ref = UNSET
    else:
        json_provider_ref = provider_ref
    params["provider_ref"] = json_provider_ref

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    elif isinstance(currency, str):
        json_currency = currency
    else:
        json_currency = currency
    params["currency"] = json_currency

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/advances/aging",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AgingReportOut | Problem | None:
    if response.status_code == 200:
        response_200 = AgingReportOut.from_dict(response.json())

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
) -> Response[AgingReportOut | Problem]:
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
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
) -> Response[AgingReportOut | Problem]:
    """Outstanding advances by currency and aging bucket, and the flagged totals

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgingReportOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
) -> AgingReportOut | Problem | None:
    """Outstanding advances by currency and aging bucket, and the flagged totals

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgingReportOut | Problem
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
) -> Response[AgingReportOut | Problem]:
    """Outstanding advances by currency and aging bucket, and the flagged totals

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgingReportOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
) -> AgingReportOut | Problem | None:
    """Outstanding advances by currency and aging bucket, and the flagged totals

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgingReportOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
            merchant_ref=merchant_ref,
            provider_ref=provider_ref,
            currency=currency,
        )
    ).parsed
