from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.match_in import MatchIn
from ...models.problem import Problem
from ...models.tradedata_match_out import TradedataMatchOut
from ...types import Response


def _get_kwargs(
    *,
    body: MatchIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/trade-data/match",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TradedataMatchOut | None:
    if response.status_code == 200:
        response_200 = TradedataMatchOut.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[Problem | TradedataMatchOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: MatchIn,
) -> Response[Problem | TradedataMatchOut]:
    """Run the three-document match again (after a tolerance change, for example)

     **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `settlement:write` (else
    403 `forbidden_scope`).

    Args:
        body (MatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradedataMatchOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: MatchIn,
) -> Problem | TradedataMatchOut | None:
    """Run the three-document match again (after a tolerance change, for example)

     **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `settlement:write` (else
    403 `forbidden_scope`).

    Args:
        body (MatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradedataMatchOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: MatchIn,
) -> Response[Problem | TradedataMatchOut]:
    """Run the three-document match again (after a tolerance change, for example)

     **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `settlement:write` (else
    403 `forbidden_scope`).

    Args:
        body (MatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradedataMatchOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: MatchIn,
) -> Problem | TradedataMatchOut | None:
    """Run the three-document match again (after a tolerance change, for example)

     **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `settlement:write` (else
    403 `forbidden_scope`).

    Args:
        body (MatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradedataMatchOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
