from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approval_request_out import ApprovalRequestOut
from ...models.problem import Problem
from ...models.write_off_in import WriteOffIn
from ...types import Response


def _get_kwargs(
    loan_id: UUID,
    *,
    body: WriteOffIn,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/financing/loans/{loan_id}/write-off".format(
            loan_id=quote(str(loan_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApprovalRequestOut | Problem | None:
    if response.status_code == 202:
        response_202 = ApprovalRequestOut.from_dict(response.json())

        return response_202

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
) -> Response[ApprovalRequestOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    loan_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WriteOffIn,
    idempotency_key: str,
) -> Response[ApprovalRequestOut | Problem]:
    """Propose writing a loan off (four eyes: a second person approves)

     Four eyes (`loan.write_off`): answers 202 with a pending approval request (`Location: /v1/approval-
    requests/{id}`); the loan is written off only when a different person with a checker role approves
    it (`POST /v1/approval-requests/{id}/approve`), whose `result` is the written-off loan. A loan that
    is not active is refused now (409 `loan_state`).

    **Access**: roles `admin`, `approver`, `system`; an API key needs the scope `financing:write` (else
    403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (WriteOffIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    loan_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WriteOffIn,
    idempotency_key: str,
) -> ApprovalRequestOut | Problem | None:
    """Propose writing a loan off (four eyes: a second person approves)

     Four eyes (`loan.write_off`): answers 202 with a pending approval request (`Location: /v1/approval-
    requests/{id}`); the loan is written off only when a different person with a checker role approves
    it (`POST /v1/approval-requests/{id}/approve`), whose `result` is the written-off loan. A loan that
    is not active is refused now (409 `loan_state`).

    **Access**: roles `admin`, `approver`, `system`; an API key needs the scope `financing:write` (else
    403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (WriteOffIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalRequestOut | Problem
    """

    return sync_detailed(
        loan_id=loan_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    loan_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WriteOffIn,
    idempotency_key: str,
) -> Response[ApprovalRequestOut | Problem]:
    """Propose writing a loan off (four eyes: a second person approves)

     Four eyes (`loan.write_off`): answers 202 with a pending approval request (`Location: /v1/approval-
    requests/{id}`); the loan is written off only when a different person with a checker role approves
    it (`POST /v1/approval-requests/{id}/approve`), whose `result` is the written-off loan. A loan that
    is not active is refused now (409 `loan_state`).

    **Access**: roles `admin`, `approver`, `system`; an API key needs the scope `financing:write` (else
    403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (WriteOffIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    loan_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WriteOffIn,
    idempotency_key: str,
) -> ApprovalRequestOut | Problem | None:
    """Propose writing a loan off (four eyes: a second person approves)

     Four eyes (`loan.write_off`): answers 202 with a pending approval request (`Location: /v1/approval-
    requests/{id}`); the loan is written off only when a different person with a checker role approves
    it (`POST /v1/approval-requests/{id}/approve`), whose `result` is the written-off loan. A loan that
    is not active is refused now (409 `loan_state`).

    **Access**: roles `admin`, `approver`, `system`; an API key needs the scope `financing:write` (else
    403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (WriteOffIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalRequestOut | Problem
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
