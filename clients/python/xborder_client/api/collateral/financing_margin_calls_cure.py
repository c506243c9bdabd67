from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cure_in import CureIn
from ...models.cure_out import CureOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    call_id: UUID,
    *,
    body: CureIn,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/financing/margin-calls/{call_id}/cure".format(
            call_id=quote(str(call_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CureOut | Problem | None:
    if response.status_code == 200:
        response_200 = CureOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CureOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    call_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CureIn,
    idempotency_key: str,
) -> Response[CureOut | Problem]:
    """Cure an open margin call by pledging more warehouse receipts to its loan

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The receipts (verified, of the loan's customer, pledged
    nowhere) are valued on `as_of`; when the loan's outstanding over every receipt pledged to it is back
    at or below the product's `max_ltv` (default 0.60) they are pledged to the loan and the call is
    `cured` (who and when recorded, audited, event `collateral.margin_call_cured`). Otherwise nothing is
    pledged and the call stays open: 422 `margin_call_not_cured` with the collateral still missing; 409
    `asset_already_financed` for a receipt pledged or encumbered elsewhere; 422
    `collateral_of_another_customer`; another institution's margin call or receipt is 404.

    **Access**: roles `finance`, `system`; an API key needs the scope `financing:write` (else 403
    `forbidden_scope`).

    Args:
        call_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (CureIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CureOut | Problem]
    """

    kwargs = _get_kwargs(
        call_id=call_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    call_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CureIn,
    idempotency_key: str,
) -> CureOut | Problem | None:
    """Cure an open margin call by pledging more warehouse receipts to its loan

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The receipts (verified, of the loan's customer, pledged
    nowhere) are valued on `as_of`; when the loan's outstanding over every receipt pledged to it is back
    at or below the product's `max_ltv` (default 0.60) they are pledged to the loan and the call is
    `cured` (who and when recorded, audited, event `collateral.margin_call_cured`). Otherwise nothing is
    pledged and the call stays open: 422 `margin_call_not_cured` with the collateral still missing; 409
    `asset_already_financed` for a receipt pledged or encumbered elsewhere; 422
    `collateral_of_another_customer`; another institution's margin call or receipt is 404.

    **Access**: roles `finance`, `system`; an API key needs the scope `financing:write` (else 403
    `forbidden_scope`).

    Args:
        call_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (CureIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CureOut | Problem
    """

    return sync_detailed(
        call_id=call_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    call_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CureIn,
    idempotency_key: str,
) -> Response[CureOut | Problem]:
    """Cure an open margin call by pledging more warehouse receipts to its loan

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The receipts (verified, of the loan's customer, pledged
    nowhere) are valued on `as_of`; when the loan's outstanding over every receipt pledged to it is back
    at or below the product's `max_ltv` (default 0.60) they are pledged to the loan and the call is
    `cured` (who and when recorded, audited, event `collateral.margin_call_cured`). Otherwise nothing is
    pledged and the call stays open: 422 `margin_call_not_cured` with the collateral still missing; 409
    `asset_already_financed` for a receipt pledged or encumbered elsewhere; 422
    `collateral_of_another_customer`; another institution's margin call or receipt is 404.

    **Access**: roles `finance`, `system`; an API key needs the scope `financing:write` (else 403
    `forbidden_scope`).

    Args:
        call_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (CureIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CureOut | Problem]
    """

    kwargs = _get_kwargs(
        call_id=call_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    call_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CureIn,
    idempotency_key: str,
) -> CureOut | Problem | None:
    """Cure an open margin call by pledging more warehouse receipts to its loan

     Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for
    byte; the same key with another body is 422. The receipts (verified, of the loan's customer, pledged
    nowhere) are valued on `as_of`; when the loan's outstanding over every receipt pledged to it is back
    at or below the product's `max_ltv` (default 0.60) they are pledged to the loan and the call is
    `cured` (who and when recorded, audited, event `collateral.margin_call_cured`). Otherwise nothing is
    pledged and the call stays open: 422 `margin_call_not_cured` with the collateral still missing; 409
    `asset_already_financed` for a receipt pledged or encumbered elsewhere; 422
    `collateral_of_another_customer`; another institution's margin call or receipt is 404.

    **Access**: roles `finance`, `system`; an API key needs the scope `financing:write` (else 403
    `forbidden_scope`).

    Args:
        call_id (UUID):
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (CureIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CureOut | Problem
    """

    return (
        await asyncio_detailed(
            call_id=call_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
