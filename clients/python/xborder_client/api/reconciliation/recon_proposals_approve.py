from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.proposal_out import ProposalOut
from ...types import Response


def _get_kwargs(
    proposal_id: UUID,
    *,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/recon/proposals/{proposal_id}/approve".format(
            proposal_id=quote(str(proposal_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProposalOut | None:
    if response.status_code == 200:
        response_200 = ProposalOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
    idempotency_key: str,
) -> Response[Problem | ProposalOut]:
    """Approve a proposal (checker; never the maker)

     Requires `Idempotency-Key`: approving may post an adjustment or a bank charge. Four eyes
    (`recon.proposal`): the checker is refused (403) when he is the maker (`four_eyes_same_person`, also
    under another name: a key the maker issued), or a user the maker created, enabled or gave his role
    within the cooling period (`four_eyes_linked_checker`); each refusal is audited
    (`four_eyes.refused`).

    Args:
        proposal_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProposalOut]
    """

    kwargs = _get_kwargs(
        proposal_id=proposal_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    proposal_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str,
) -> Problem | ProposalOut | None:
    """Approve a proposal (checker; never the maker)

     Requires `Idempotency-Key`: approving may post an adjustment or a bank charge. Four eyes
    (`recon.proposal`): the checker is refused (403) when he is the maker (`four_eyes_same_person`, also
    under another name: a key the maker issued), or a user the maker created, enabled or gave his role
    within the cooling period (`four_eyes_linked_checker`); each refusal is audited
    (`four_eyes.refused`).

    Args:
        proposal_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProposalOut
    """

    return sync_detailed(
        proposal_id=proposal_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    proposal_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str,
) -> Response[Problem | ProposalOut]:
    """Approve a proposal (checker; never the maker)

     Requires `Idempotency-Key`: approving may post an adjustment or a bank charge. Four eyes
    (`recon.proposal`): the checker is refused (403) when he is the maker (`four_eyes_same_person`, also
    under another name: a key the maker issued), or a user the maker created, enabled or gave his role
    within the cooling period (`four_eyes_linked_checker`); each refusal is audited
    (`four_eyes.refused`).

    Args:
        proposal_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProposalOut]
    """

    kwargs = _get_kwargs(
        proposal_id=proposal_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    proposal_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str,
) -> Problem | ProposalOut | None:
    """Approve a proposal (checker; never the maker)

     Requires `Idempotency-Key`: approving may post an adjustment or a bank charge. Four eyes
    (`recon.proposal`): the checker is refused (403) when he is the maker (`four_eyes_same_person`, also
    under another name: a key the maker issued), or a user the maker created, enabled or gave his role
    within the cooling period (`four_eyes_linked_checker`); each refusal is audited
    (`four_eyes.refused`).

    Args:
        proposal_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.

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
            idempotency_key=idempotency_key,
        )
    ).parsed
