import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.advances_list_status import AdvancesListStatus
from ...models.currency import Currency
from ...models.page_advance_out import PageAdvanceOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    status: AdvancesListStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
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

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params["flagged"] = flagged

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
        "url": "/v1/advances",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageAdvanceOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageAdvanceOut.from_dict(response.json())

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
) -> Response[PageAdvanceOut | Problem]:
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
    status: AdvancesListStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAdvanceOut | Problem]:
    """Advances with their age, aging bucket and the 12-month flag, oldest first

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):
        status (AdvancesListStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAdvanceOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
        status=status,
        flagged=flagged,
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
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    status: AdvancesListStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageAdvanceOut | Problem | None:
    """Advances with their age, aging bucket and the 12-month flag, oldest first

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):
        status (AdvancesListStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAdvanceOut | Problem
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
        status=status,
        flagged=flagged,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    status: AdvancesListStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAdvanceOut | Problem]:
    """Advances with their age, aging bucket and the 12-month flag, oldest first

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):
        status (AdvancesListStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAdvanceOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
        status=status,
        flagged=flagged,
        limit=limit,
        cursor=cursor,
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
    status: AdvancesListStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageAdvanceOut | Problem | None:
    """Advances with their age, aging bucket and the 12-month flag, oldest first

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (Currency | None | Unset):
        status (AdvancesListStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAdvanceOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
            merchant_ref=merchant_ref,
            provider_ref=provider_ref,
            currency=currency,
            status=status,
            flagged=flagged,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
