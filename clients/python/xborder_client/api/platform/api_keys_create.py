from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_in import ApiKeyIn
from ...models.api_key_issued import ApiKeyIssued
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ApiKeyIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/api-keys",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiKeyIssued | Problem | None:
    if response.status_code == 201:
        response_201 = ApiKeyIssued.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[ApiKeyIssued | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ApiKeyIn,
) -> Response[ApiKeyIssued | Problem]:
    """Issue an API key (shown once)

     `scopes` absent: a `system` key gets the read-only scopes; `keys:manage` and `users:manage` only
    when listed. A `platform` key has exactly `tradedata:write`. An unknown scope is 422
    `unknown_scope`; an API key cannot grant a scope it does not hold itself (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        body (ApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyIssued | Problem]
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
    body: ApiKeyIn,
) -> ApiKeyIssued | Problem | None:
    """Issue an API key (shown once)

     `scopes` absent: a `system` key gets the read-only scopes; `keys:manage` and `users:manage` only
    when listed. A `platform` key has exactly `tradedata:write`. An unknown scope is 422
    `unknown_scope`; an API key cannot grant a scope it does not hold itself (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        body (ApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyIssued | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ApiKeyIn,
) -> Response[ApiKeyIssued | Problem]:
    """Issue an API key (shown once)

     `scopes` absent: a `system` key gets the read-only scopes; `keys:manage` and `users:manage` only
    when listed. A `platform` key has exactly `tradedata:write`. An unknown scope is 422
    `unknown_scope`; an API key cannot grant a scope it does not hold itself (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        body (ApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyIssued | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ApiKeyIn,
) -> ApiKeyIssued | Problem | None:
    """Issue an API key (shown once)

     `scopes` absent: a `system` key gets the read-only scopes; `keys:manage` and `users:manage` only
    when listed. A `platform` key has exactly `tradedata:write`. An unknown scope is 422
    `unknown_scope`; an API key cannot grant a scope it does not hold itself (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        body (ApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyIssued | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
