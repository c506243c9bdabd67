from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_issued import ApiKeyIssued
from ...models.problem import Problem
from ...models.rotate_in import RotateIn
from ...types import Response


def _get_kwargs(
    key_id: UUID,
    *,
    body: RotateIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/api-keys/{key_id}/rotate".format(
            key_id=quote(str(key_id), safe=""),
        ),
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
) -> Response[ApiKeyIssued | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RotateIn,
) -> Response[ApiKeyIssued | Problem]:
    """Rotate an API key: a new key replaces it

     The new key has the old key's scopes. The calling key rotating itself with `grace_seconds` 0 needs
    `confirm_self: true` (else 409 `confirm_self_required`); an API key cannot rotate a key holding a
    scope it does not hold (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        key_id (UUID):
        body (RotateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyIssued | Problem]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RotateIn,
) -> ApiKeyIssued | Problem | None:
    """Rotate an API key: a new key replaces it

     The new key has the old key's scopes. The calling key rotating itself with `grace_seconds` 0 needs
    `confirm_self: true` (else 409 `confirm_self_required`); an API key cannot rotate a key holding a
    scope it does not hold (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        key_id (UUID):
        body (RotateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyIssued | Problem
    """

    return sync_detailed(
        key_id=key_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    key_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RotateIn,
) -> Response[ApiKeyIssued | Problem]:
    """Rotate an API key: a new key replaces it

     The new key has the old key's scopes. The calling key rotating itself with `grace_seconds` 0 needs
    `confirm_self: true` (else 409 `confirm_self_required`); an API key cannot rotate a key holding a
    scope it does not hold (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        key_id (UUID):
        body (RotateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyIssued | Problem]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RotateIn,
) -> ApiKeyIssued | Problem | None:
    """Rotate an API key: a new key replaces it

     The new key has the old key's scopes. The calling key rotating itself with `grace_seconds` 0 needs
    `confirm_self: true` (else 409 `confirm_self_required`); an API key cannot rotate a key holding a
    scope it does not hold (403 `forbidden_scope`).

    **Access**: roles `admin`, `system`; an API key needs the scope `keys:manage` (else 403
    `forbidden_scope`).

    Args:
        key_id (UUID):
        body (RotateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyIssued | Problem
    """

    return (
        await asyncio_detailed(
            key_id=key_id,
            client=client,
            body=body,
        )
    ).parsed
