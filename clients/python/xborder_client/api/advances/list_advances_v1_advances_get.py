import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.advance_list_out import AdvanceListOut
from ...models.list_advances_v1_advances_get_status import (
    ListAdvancesV1AdvancesGetStatus,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    status: ListAdvancesV1AdvancesGetStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 1000,
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
    else:
        json_currency = currency
    params["currency"] = json_currency

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params["flagged"] = flagged

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/advances",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AdvanceListOut | Any | None:
    if response.status_code == 200:
        response_200 = AdvanceListOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = cast(Any, None)
        return response_400

    if response.status_code == 401:
        response_401 = cast(Any, None)
        return response_401

    if response.status_code == 403:
        response_403 = cast(Any, None)
        return response_403

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 422:
        response_422 = cast(Any, None)
        return response_422

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AdvanceListOut | Any]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    status: ListAdvancesV1AdvancesGetStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 1000,
) -> Response[AdvanceListOut | Any]:
    """Advances with aging buckets and the 12-month flag

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (None | str | Unset):
        status (ListAdvancesV1AdvancesGetStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset):  Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdvanceListOut | Any]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
        status=status,
        flagged=flagged,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    status: ListAdvancesV1AdvancesGetStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 1000,
) -> AdvanceListOut | Any | None:
    """Advances with aging buckets and the 12-month flag

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (None | str | Unset):
        status (ListAdvancesV1AdvancesGetStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset):  Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdvanceListOut | Any
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
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    status: ListAdvancesV1AdvancesGetStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 1000,
) -> Response[AdvanceListOut | Any]:
    """Advances with aging buckets and the 12-month flag

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (None | str | Unset):
        status (ListAdvancesV1AdvancesGetStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset):  Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdvanceListOut | Any]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        merchant_ref=merchant_ref,
        provider_ref=provider_ref,
        currency=currency,
        status=status,
        flagged=flagged,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    merchant_ref: None | str | Unset = UNSET,
    provider_ref: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    status: ListAdvancesV1AdvancesGetStatus | Unset = "outstanding",
    flagged: bool | Unset = False,
    limit: int | Unset = 1000,
) -> AdvanceListOut | Any | None:
    """Advances with aging buckets and the 12-month flag

    Args:
        as_of (datetime.date | None | Unset): report date (default today, Asia/Shanghai)
        merchant_ref (None | str | Unset):
        provider_ref (None | str | Unset):
        currency (None | str | Unset):
        status (ListAdvancesV1AdvancesGetStatus | Unset):  Default: 'outstanding'.
        flagged (bool | Unset): only advances outstanding longer than the flag months Default:
            False.
        limit (int | Unset):  Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdvanceListOut | Any
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
        )
    ).parsed
