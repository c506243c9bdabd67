from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.overdue_sweep_in import OverdueSweepIn
from ...models.overdue_sweep_out import OverdueSweepOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: OverdueSweepIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/advances/overdue-sweep",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OverdueSweepOut | Problem | None:
    if response.status_code == 200:
        response_200 = OverdueSweepOut.from_dict(response.json())

        return response_200

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
) -> Response[OverdueSweepOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OverdueSweepIn,
) -> Response[OverdueSweepOut | Problem]:
    """Flag advances outstanding longer than the flag months (events, S9 alerts)

     **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        body (OverdueSweepIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverdueSweepOut | Problem]
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
    body: OverdueSweepIn,
) -> OverdueSweepOut | Problem | None:
    """Flag advances outstanding longer than the flag months (events, S9 alerts)

     **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        body (OverdueSweepIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverdueSweepOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OverdueSweepIn,
) -> Response[OverdueSweepOut | Problem]:
    """Flag advances outstanding longer than the flag months (events, S9 alerts)

     **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        body (OverdueSweepIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverdueSweepOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OverdueSweepIn,
) -> OverdueSweepOut | Problem | None:
    """Flag advances outstanding longer than the flag months (events, S9 alerts)

     **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        body (OverdueSweepIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverdueSweepOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
