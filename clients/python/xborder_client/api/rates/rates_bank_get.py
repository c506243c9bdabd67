import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.currency import Currency
from ...models.problem import Problem
from ...models.rate_out import RateOut
from ...models.rates_bank_get_side import RatesBankGetSide
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    base: Currency,
    quote: Currency,
    side: RatesBankGetSide,
    on: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_base: str = base
    params["base"] = json_base

    json_quote: str = quote
    params["quote"] = json_quote

    json_side: str = side
    params["side"] = json_side

    json_on: None | str | Unset
    if isinstance(on, Unset):
        json_on = UNSET
    elif isinstance(on, datetime.date):
        json_on = on.isoformat()
    else:
        json_on = on
    params["on"] = json_on

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/rates/bank",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateOut | None:
    if response.status_code == 200:
        response_200 = RateOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    base: Currency,
    quote: Currency,
    side: RatesBankGetSide,
    on: datetime.date | None | Unset = UNSET,
) -> Response[Problem | RateOut]:
    """The institution's buy or sell rate (mid ± spread)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        base (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        quote (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        side (RatesBankGetSide): buy: the bank buys base (conversion to CNY); sell: the bank sells
            base
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateOut]
    """

    kwargs = _get_kwargs(
        base=base,
        quote=quote,
        side=side,
        on=on,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    base: Currency,
    quote: Currency,
    side: RatesBankGetSide,
    on: datetime.date | None | Unset = UNSET,
) -> Problem | RateOut | None:
    """The institution's buy or sell rate (mid ± spread)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        base (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        quote (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        side (RatesBankGetSide): buy: the bank buys base (conversion to CNY); sell: the bank sells
            base
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateOut
    """

    return sync_detailed(
        client=client,
        base=base,
        quote=quote,
        side=side,
        on=on,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    base: Currency,
    quote: Currency,
    side: RatesBankGetSide,
    on: datetime.date | None | Unset = UNSET,
) -> Response[Problem | RateOut]:
    """The institution's buy or sell rate (mid ± spread)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        base (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        quote (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        side (RatesBankGetSide): buy: the bank buys base (conversion to CNY); sell: the bank sells
            base
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateOut]
    """

    kwargs = _get_kwargs(
        base=base,
        quote=quote,
        side=side,
        on=on,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    base: Currency,
    quote: Currency,
    side: RatesBankGetSide,
    on: datetime.date | None | Unset = UNSET,
) -> Problem | RateOut | None:
    """The institution's buy or sell rate (mid ± spread)

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        base (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        quote (Currency): ISO 4217 alphabetic code usable for payments (precious metals, funds and
            test codes are not)
        side (RatesBankGetSide): buy: the bank buys base (conversion to CNY); sell: the bank sells
            base
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateOut
    """

    return (
        await asyncio_detailed(
            client=client,
            base=base,
            quote=quote,
            side=side,
            on=on,
        )
    ).parsed
