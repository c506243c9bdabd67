from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.proposal_in import ProposalIn
from ...models.proposal_out import ProposalOut
from ...types import Response


def _get_kwargs(
    *,
    body: ProposalIn,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/recon/proposals",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProposalOut | None:
    if response.status_code == 201:
        response_201 = ProposalOut.from_dict(response.json())

        return response_201

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
    *,
    client: AuthenticatedClient,
    body: ProposalIn,
    idempotency_key: str,
) -> Response[Problem | ProposalOut]:
    """Propose a manual match, split or adjustment (maker)

     Takes effect only when another user with the approver role approves it. What must fit (else 422
    `proposal_inconsistent`, or `match_does_not_balance` when the amounts do not add up): no line or
    entry twice; at least one line or entry (or an adjustment's `recon_account_id`), all of one
    reconciled account; a manual match names lines and entries; a split one line, no entries and at
    least two parts with the line's sign; an adjustment lines only, a non-zero amount and a counter
    account in the account's currency. Requires `Idempotency-Key`: a retry with the same key and body
    replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `approver`, `finance`.

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ProposalIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProposalOut]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ProposalIn,
    idempotency_key: str,
) -> Problem | ProposalOut | None:
    """Propose a manual match, split or adjustment (maker)

     Takes effect only when another user with the approver role approves it. What must fit (else 422
    `proposal_inconsistent`, or `match_does_not_balance` when the amounts do not add up): no line or
    entry twice; at least one line or entry (or an adjustment's `recon_account_id`), all of one
    reconciled account; a manual match names lines and entries; a split one line, no entries and at
    least two parts with the line's sign; an adjustment lines only, a non-zero amount and a counter
    account in the account's currency. Requires `Idempotency-Key`: a retry with the same key and body
    replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `approver`, `finance`.

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ProposalIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProposalOut
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ProposalIn,
    idempotency_key: str,
) -> Response[Problem | ProposalOut]:
    """Propose a manual match, split or adjustment (maker)

     Takes effect only when another user with the approver role approves it. What must fit (else 422
    `proposal_inconsistent`, or `match_does_not_balance` when the amounts do not add up): no line or
    entry twice; at least one line or entry (or an adjustment's `recon_account_id`), all of one
    reconciled account; a manual match names lines and entries; a split one line, no entries and at
    least two parts with the line's sign; an adjustment lines only, a non-zero amount and a counter
    account in the account's currency. Requires `Idempotency-Key`: a retry with the same key and body
    replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `approver`, `finance`.

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ProposalIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProposalOut]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ProposalIn,
    idempotency_key: str,
) -> Problem | ProposalOut | None:
    """Propose a manual match, split or adjustment (maker)

     Takes effect only when another user with the approver role approves it. What must fit (else 422
    `proposal_inconsistent`, or `match_does_not_balance` when the amounts do not add up): no line or
    entry twice; at least one line or entry (or an adjustment's `recon_account_id`), all of one
    reconciled account; a manual match names lines and entries; a split one line, no entries and at
    least two parts with the line's sign; an adjustment lines only, a non-zero amount and a counter
    account in the account's currency. Requires `Idempotency-Key`: a retry with the same key and body
    replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `approver`, `finance`.

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ProposalIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProposalOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
