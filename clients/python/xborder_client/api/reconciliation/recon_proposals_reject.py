from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.proposal_out import ProposalOut
from ...models.reject_in import RejectIn
from ...types import Response


def _get_kwargs(
    proposal_id: UUID,
    *,
    body: RejectIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/recon/proposals/{proposal_id}/reject".format(
            proposal_id=quote(str(proposal_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProposalOut | None:
    if response.status_code == 200:
        response_200 = ProposalOut.from_dict(response.json())

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
) -> Response[Problem | ProposalOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    proposal_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RejectIn,
) -> Response[Problem | ProposalOut]:
    """Reject a proposal (an approver, or its maker to withdraw it)

     **Access**: roles `admin`, `approver`, `finance`.

    Args:
        proposal_id (UUID):
        body (RejectIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProposalOut]
    """

    kwargs = _get_kwargs(
        proposal_id=proposal_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    proposal_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RejectIn,
) -> Problem | ProposalOut | None:
    """Reject a proposal (an approver, or its maker to withdraw it)

     **Access**: roles `admin`, `approver`, `finance`.

    Args:
        proposal_id (UUID):
        body (RejectIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProposalOut
    """

    return sync_detailed(
        proposal_id=proposal_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    proposal_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RejectIn,
) -> Response[Problem | ProposalOut]:
    """Reject a proposal (an approver, or its maker to withdraw it)

     **Access**: roles `admin`, `approver`, `finance`.

    Args:
        proposal_id (UUID):
        body (RejectIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProposalOut]
    """

    kwargs = _get_kwargs(
        proposal_id=proposal_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    proposal_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RejectIn,
) -> Problem | ProposalOut | None:
    """Reject a proposal (an approver, or its maker to withdraw it)

     **Access**: roles `admin`, `approver`, `finance`.

    Args:
        proposal_id (UUID):
        body (RejectIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProposalOut
    """

    return (
        await asyncio_detailed(
            proposal_id=proposal_id,
            client=client,
            body=body,
        )
    ).parsed
