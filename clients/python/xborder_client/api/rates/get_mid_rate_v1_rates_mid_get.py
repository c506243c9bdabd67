import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.rate_out import RateOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    base: str,
    quote: str,
    on: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["base"] = base

    params["quote"] = quote

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
        "url": "/v1/rates/mid",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | RateOut | None:
    if response.status_code == 200:
        response_200 = RateOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | RateOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    base: str,
    quote: str,
    on: datetime.date | None | Unset = UNSET,
) -> Response[Any | RateOut]:
    """Mid rate of a currency pair on a day

    Args:
        base (str):
        quote (str):
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | RateOut]
    """

    kwargs = _get_kwargs(
        base=base,
        quote=quote,
        on=on,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    base: str,
    quote: str,
    on: datetime.date | None | Unset = UNSET,
) -> Any | RateOut | None:
    """Mid rate of a currency pair on a day

    Args:
        base (str):
        quote (str):
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | RateOut
    """

    return sync_detailed(
        client=client,
        base=base,
        quote=quote,
        on=on,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    base: str,
    quote: str,
    on: datetime.date | None | Unset = UNSET,
) -> Response[Any | RateOut]:
    """Mid rate of a currency pair on a day

    Args:
        base (str):
        quote (str):
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | RateOut]
    """

    kwargs = _get_kwargs(
        base=base,
        quote=quote,
        on=on,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    base: str,
    quote: str,
    on: datetime.date | None | Unset = UNSET,
) -> Any | RateOut | None:
    """Mid rate of a currency pair on a day

    Args:
        base (str):
        quote (str):
        on (datetime.date | None | Unset): day; default today (China Standard Time)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | RateOut
    """

    return (
        await asyncio_detailed(
            client=client,
            base=base,
            quote=quote,
            on=on,
        )
    ).parsed
