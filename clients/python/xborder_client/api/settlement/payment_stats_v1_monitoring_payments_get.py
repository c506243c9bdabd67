import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.payment_stat_out import PaymentStatOut
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
) -> Any | list[PaymentStatOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = PaymentStatOut.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Any | list[PaymentStatOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Response[Any | list[PaymentStatOut]]:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated: purpose, beneficiary_country, merchant_kind,
            currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[PaymentStatOut]]
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
    client: AuthenticatedClient | Client,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Any | list[PaymentStatOut] | None:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated: purpose, beneficiary_country, merchant_kind,
            currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[PaymentStatOut]
    """

    return sync_detailed(
        client=client,
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Response[Any | list[PaymentStatOut]]:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated: purpose, beneficiary_country, merchant_kind,
            currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[PaymentStatOut]]
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
    client: AuthenticatedClient | Client,
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str | Unset = "purpose",
) -> Any | list[PaymentStatOut] | None:
    """Outward payment statistics by purpose, beneficiary country, merchant kind

    Args:
        date_from (datetime.date):
        date_to (datetime.date):
        group_by (str | Unset): comma-separated: purpose, beneficiary_country, merchant_kind,
            currency, status Default: 'purpose'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[PaymentStatOut]
    """

    return (
        await asyncio_detailed(
            client=client,
            date_from=date_from,
            date_to=date_to,
            group_by=group_by,
        )
    ).parsed
