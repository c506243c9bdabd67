from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.loan_out import LoanOut
from ...models.problem import Problem
from ...models.sme_repayment_in import SmeRepaymentIn
from ...types import Response


def _get_kwargs(
    loan_id: UUID,
    *,
    body: SmeRepaymentIn,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sme/loans/{loan_id}/repayments".format(
            loan_id=quote(str(loan_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LoanOut | Problem | None:
    if response.status_code == 200:
        response_200 = LoanOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[LoanOut | Problem]:
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
    body: SmeRepaymentIn,
    idempotency_key: str,
) -> Response[LoanOut | Problem]:
    """Repay from the merchant's own current account (allocated by the product's waterfall)

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The money comes from the merchant's current account in
    the loan's currency, value-dated today; more than it holds is 422 `insufficient_funds` and nothing
    is posted; more than the loan owes is 422 `loan_invalid`.

    **Access**: roles `sme`; an API key needs the scope `financing:write` (else 403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (SmeRepaymentIn): A repayment from the caller's own current account in the loan's
            currency (no other account can be named).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoanOut | Problem]
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
    body: SmeRepaymentIn,
    idempotency_key: str,
) -> LoanOut | Problem | None:
    """Repay from the merchant's own current account (allocated by the product's waterfall)

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The money comes from the merchant's current account in
    the loan's currency, value-dated today; more than it holds is 422 `insufficient_funds` and nothing
    is posted; more than the loan owes is 422 `loan_invalid`.

    **Access**: roles `sme`; an API key needs the scope `financing:write` (else 403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (SmeRepaymentIn): A repayment from the caller's own current account in the loan's
            currency (no other account can be named).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoanOut | Problem
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
    body: SmeRepaymentIn,
    idempotency_key: str,
) -> Response[LoanOut | Problem]:
    """Repay from the merchant's own current account (allocated by the product's waterfall)

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The money comes from the merchant's current account in
    the loan's currency, value-dated today; more than it holds is 422 `insufficient_funds` and nothing
    is posted; more than the loan owes is 422 `loan_invalid`.

    **Access**: roles `sme`; an API key needs the scope `financing:write` (else 403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (SmeRepaymentIn): A repayment from the caller's own current account in the loan's
            currency (no other account can be named).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoanOut | Problem]
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
    body: SmeRepaymentIn,
    idempotency_key: str,
) -> LoanOut | Problem | None:
    """Repay from the merchant's own current account (allocated by the product's waterfall)

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The money comes from the merchant's current account in
    the loan's currency, value-dated today; more than it holds is 422 `insufficient_funds` and nothing
    is posted; more than the loan owes is 422 `loan_invalid`.

    **Access**: roles `sme`; an API key needs the scope `financing:write` (else 403 `forbidden_scope`).

    Args:
        loan_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (SmeRepaymentIn): A repayment from the caller's own current account in the loan's
            currency (no other account can be named).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoanOut | Problem
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
