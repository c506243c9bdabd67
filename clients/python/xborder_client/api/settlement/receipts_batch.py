from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.receipt_batch_in import ReceiptBatchIn
from ...models.receipt_batch_out import ReceiptBatchOut
from ...types import Response


def _get_kwargs(
    *,
    body: ReceiptBatchIn,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/receipts/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReceiptBatchOut | None:
    if response.status_code == 200:
        response_200 = ReceiptBatchOut.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ReceiptBatchOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReceiptBatchIn,
    idempotency_key: str,
) -> Response[Problem | ReceiptBatchOut]:
    """Post up to 1,000 receipts in one database transaction

     Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte.
    Each receipt names its `external_ref` and gets its own result (a refusal is a problem document and
    changes nothing); a receipt whose `external_ref` was posted earlier with the same content is
    answered as it was (`replayed`), with other content refused (`duplicate_reference`).

    **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReceiptBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReceiptBatchOut]
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
    body: ReceiptBatchIn,
    idempotency_key: str,
) -> Problem | ReceiptBatchOut | None:
    """Post up to 1,000 receipts in one database transaction

     Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte.
    Each receipt names its `external_ref` and gets its own result (a refusal is a problem document and
    changes nothing); a receipt whose `external_ref` was posted earlier with the same content is
    answered as it was (`replayed`), with other content refused (`duplicate_reference`).

    **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReceiptBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReceiptBatchOut
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReceiptBatchIn,
    idempotency_key: str,
) -> Response[Problem | ReceiptBatchOut]:
    """Post up to 1,000 receipts in one database transaction

     Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte.
    Each receipt names its `external_ref` and gets its own result (a refusal is a problem document and
    changes nothing); a receipt whose `external_ref` was posted earlier with the same content is
    answered as it was (`replayed`), with other content refused (`duplicate_reference`).

    **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReceiptBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReceiptBatchOut]
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
    body: ReceiptBatchIn,
    idempotency_key: str,
) -> Problem | ReceiptBatchOut | None:
    """Post up to 1,000 receipts in one database transaction

     Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte.
    Each receipt names its `external_ref` and gets its own result (a refusal is a problem document and
    changes nothing); a receipt whose `external_ref` was posted earlier with the same content is
    answered as it was (`replayed`), with other content refused (`duplicate_reference`).

    **Access**: roles `finance`, `system`; an API key needs the scope `settlement:write` (else 403
    `forbidden_scope`).

    Args:
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReceiptBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReceiptBatchOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
