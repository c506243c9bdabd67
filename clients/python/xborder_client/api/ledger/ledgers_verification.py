from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.verification_out import VerificationOut
from ...types import Response


def _get_kwargs(
    ledger_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledgers/{ledger_id}/verification".format(
            ledger_id=quote(str(ledger_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | VerificationOut | None:
    if response.status_code == 200:
        response_200 = VerificationOut.from_dict(response.json())

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
) -> Response[Problem | VerificationOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | VerificationOut]:
    """Recompute the hash chain and check checkpoints

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VerificationOut]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | VerificationOut | None:
    """Recompute the hash chain and check checkpoints

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VerificationOut
    """

    return sync_detailed(
        ledger_id=ledger_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | VerificationOut]:
    """Recompute the hash chain and check checkpoints

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VerificationOut]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | VerificationOut | None:
    """Recompute the hash chain and check checkpoints

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `ledger:read`
    (else 403 `forbidden_scope`).

    Args:
        ledger_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VerificationOut
    """

    return (
        await asyncio_detailed(
            ledger_id=ledger_id,
            client=client,
        )
    ).parsed
