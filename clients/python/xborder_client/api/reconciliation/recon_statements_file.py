from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_out import ImportOut
from ...models.problem import Problem
from ...models.recon_statements_file_files_body import ReconStatementsFileFilesBody
from ...models.recon_statements_file_format_type_0 import (
    ReconStatementsFileFormatType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ReconStatementsFileFilesBody,
    format_: None | ReconStatementsFileFormatType0 | Unset = UNSET,
    csv_mapping: None | str | Unset = UNSET,
    filename: str | Unset = "",
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, str):
        json_format_ = format_
    else:
        json_format_ = format_
    params["format"] = json_format_

    json_csv_mapping: None | str | Unset
    if isinstance(csv_mapping, Unset):
        json_csv_mapping = UNSET
    else:
        json_csv_mapping = csv_mapping
    params["csv_mapping"] = json_csv_mapping

    params["filename"] = filename

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/recon/statements/file",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImportOut | Problem | None:
    if response.status_code == 200:
        response_200 = ImportOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ImportOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReconStatementsFileFilesBody,
    format_: None | ReconStatementsFileFormatType0 | Unset = UNSET,
    csv_mapping: None | str | Unset = UNSET,
    filename: str | Unset = "",
    idempotency_key: str,
) -> Response[ImportOut | Problem]:
    """Import a bank statement file (camt.053, camt.054, MT940, CSV)

     The body is the file itself, or a `multipart/form-data` form with the field `file`. A broken file is
    refused with the line or element at fault and nothing is imported (an empty file too: 422
    `statement_rejected`); a statement imported before (same account, same statement id) is skipped. CSV
    needs `csv_mapping` (an unknown name is 404). Requires `Idempotency-Key`: a retry with the same key
    and body replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `recon:write` (else 403
    `forbidden_scope`).

    Args:
        format_ (None | ReconStatementsFileFormatType0 | Unset): default: detected from the
            content
        csv_mapping (None | str | Unset): name of a saved CSV column mapping
        filename (str | Unset):  Default: ''.
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReconStatementsFileFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        format_=format_,
        csv_mapping=csv_mapping,
        filename=filename,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ReconStatementsFileFilesBody,
    format_: None | ReconStatementsFileFormatType0 | Unset = UNSET,
    csv_mapping: None | str | Unset = UNSET,
    filename: str | Unset = "",
    idempotency_key: str,
) -> ImportOut | Problem | None:
    """Import a bank statement file (camt.053, camt.054, MT940, CSV)

     The body is the file itself, or a `multipart/form-data` form with the field `file`. A broken file is
    refused with the line or element at fault and nothing is imported (an empty file too: 422
    `statement_rejected`); a statement imported before (same account, same statement id) is skipped. CSV
    needs `csv_mapping` (an unknown name is 404). Requires `Idempotency-Key`: a retry with the same key
    and body replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `recon:write` (else 403
    `forbidden_scope`).

    Args:
        format_ (None | ReconStatementsFileFormatType0 | Unset): default: detected from the
            content
        csv_mapping (None | str | Unset): name of a saved CSV column mapping
        filename (str | Unset):  Default: ''.
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReconStatementsFileFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        format_=format_,
        csv_mapping=csv_mapping,
        filename=filename,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReconStatementsFileFilesBody,
    format_: None | ReconStatementsFileFormatType0 | Unset = UNSET,
    csv_mapping: None | str | Unset = UNSET,
    filename: str | Unset = "",
    idempotency_key: str,
) -> Response[ImportOut | Problem]:
    """Import a bank statement file (camt.053, camt.054, MT940, CSV)

     The body is the file itself, or a `multipart/form-data` form with the field `file`. A broken file is
    refused with the line or element at fault and nothing is imported (an empty file too: 422
    `statement_rejected`); a statement imported before (same account, same statement id) is skipped. CSV
    needs `csv_mapping` (an unknown name is 404). Requires `Idempotency-Key`: a retry with the same key
    and body replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `recon:write` (else 403
    `forbidden_scope`).

    Args:
        format_ (None | ReconStatementsFileFormatType0 | Unset): default: detected from the
            content
        csv_mapping (None | str | Unset): name of a saved CSV column mapping
        filename (str | Unset):  Default: ''.
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReconStatementsFileFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        format_=format_,
        csv_mapping=csv_mapping,
        filename=filename,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReconStatementsFileFilesBody,
    format_: None | ReconStatementsFileFormatType0 | Unset = UNSET,
    csv_mapping: None | str | Unset = UNSET,
    filename: str | Unset = "",
    idempotency_key: str,
) -> ImportOut | Problem | None:
    """Import a bank statement file (camt.053, camt.054, MT940, CSV)

     The body is the file itself, or a `multipart/form-data` form with the field `file`. A broken file is
    refused with the line or element at fault and nothing is imported (an empty file too: 422
    `statement_rejected`); a statement imported before (same account, same statement id) is skipped. CSV
    needs `csv_mapping` (an unknown name is 404). Requires `Idempotency-Key`: a retry with the same key
    and body replays the first answer byte for byte; another body with the key is 422.

    **Access**: roles `admin`, `finance`, `system`; an API key needs the scope `recon:write` (else 403
    `forbidden_scope`).

    Args:
        format_ (None | ReconStatementsFileFormatType0 | Unset): default: detected from the
            content
        csv_mapping (None | str | Unset): name of a saved CSV column mapping
        filename (str | Unset):  Default: ''.
        idempotency_key (str): Unique per operation (e.g. a UUID), 1..255 printable characters.
            Required: without it the request is refused (400 `idempotency_key_missing`). A retry with
            the same key and the same request returns the stored response byte for byte (`Idempotent-
            Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while
            the first request is still being processed, 409 `idempotency_request_in_flight`.
        body (ReconStatementsFileFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            format_=format_,
            csv_mapping=csv_mapping,
            filename=filename,
            idempotency_key=idempotency_key,
        )
    ).parsed
