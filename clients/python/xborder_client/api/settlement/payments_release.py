from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approval_request_out import ApprovalRequestOut
from ...models.payment_release_body import PaymentReleaseBody
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    payment_id: UUID,
    *,
    body: PaymentReleaseBody,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/payments/{payment_id}/release".format(
            payment_id=quote(str(payment_id), safe=""),
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
    payment_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentReleaseBody,
    idempotency_key: str,
) -> Response[ApprovalRequestOut | Problem]:
    """Propose releasing a held payment once its reason is resolved (e.g. registration recorded; four eyes)

     Requires `Idempotency-Key`. Four eyes (`payment.release`): answers 202 with a pending approval
    request (`Location: /v1/approval-requests/{id}`); the payment is released only when a different
    person with a checker role approves it, whose `result` is the released payment (`released_by`: the
    checker). A payment that cannot be released now is refused at once (409 `payment_not_releasable`),
    and checked again when approved.

    Args:
        payment_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (PaymentReleaseBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        payment_id=payment_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentReleaseBody,
    idempotency_key: str,
) -> ApprovalRequestOut | Problem | None:
    """Propose releasing a held payment once its reason is resolved (e.g. registration recorded; four eyes)

     Requires `Idempotency-Key`. Four eyes (`payment.release`): answers 202 with a pending approval
    request (`Location: /v1/approval-requests/{id}`); the payment is released only when a different
    person with a checker role approves it, whose `result` is the released payment (`released_by`: the
    checker). A payment that cannot be released now is refused at once (409 `payment_not_releasable`),
    and checked again when approved.

    Args:
        payment_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (PaymentReleaseBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalRequestOut | Problem
    """

    return sync_detailed(
        payment_id=payment_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentReleaseBody,
    idempotency_key: str,
) -> Response[ApprovalRequestOut | Problem]:
    """Propose releasing a held payment once its reason is resolved (e.g. registration recorded; four eyes)

     Requires `Idempotency-Key`. Four eyes (`payment.release`): answers 202 with a pending approval
    request (`Location: /v1/approval-requests/{id}`); the payment is released only when a different
    person with a checker role approves it, whose `result` is the released payment (`released_by`: the
    checker). A payment that cannot be released now is refused at once (409 `payment_not_releasable`),
    and checked again when approved.

    Args:
        payment_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (PaymentReleaseBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        payment_id=payment_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentReleaseBody,
    idempotency_key: str,
) -> ApprovalRequestOut | Problem | None:
    """Propose releasing a held payment once its reason is resolved (e.g. registration recorded; four eyes)

     Requires `Idempotency-Key`. Four eyes (`payment.release`): answers 202 with a pending approval
    request (`Location: /v1/approval-requests/{id}`); the payment is released only when a different
    person with a checker role approves it, whose `result` is the released payment (`released_by`: the
    checker). A payment that cannot be released now is refused at once (409 `payment_not_releasable`),
    and checked again when approved.

    Args:
        payment_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (PaymentReleaseBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalRequestOut | Problem
    """

    return (
        await asyncio_detailed(
            payment_id=payment_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
