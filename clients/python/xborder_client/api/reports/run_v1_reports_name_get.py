import datetime
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.report_out import ReportOut
from ...models.run_v1_reports_name_get_by import RunV1ReportsNameGetBy
from ...models.run_v1_reports_name_get_format_type_0 import (
    RunV1ReportsNameGetFormatType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    format_: None | RunV1ReportsNameGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: str | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: str | Unset = UNSET,
    by: RunV1ReportsNameGetBy | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, str):
        json_format_ = format_
    else:
        json_format_ = format_
    params["format"] = json_format_

    params["ledger"] = ledger

    json_as_of_date: str | Unset = UNSET
    if not isinstance(as_of_date, Unset):
        json_as_of_date = as_of_date.isoformat()
    params["as_of_date"] = json_as_of_date

    json_account_id: str | Unset = UNSET
    if not isinstance(account_id, Unset):
        json_account_id = str(account_id)
    params["account_id"] = json_account_id

    json_date_from: str | Unset = UNSET
    if not isinstance(date_from, Unset):
        json_date_from = date_from.isoformat()
    params["date_from"] = json_date_from

    json_date_to: str | Unset = UNSET
    if not isinstance(date_to, Unset):
        json_date_to = date_to.isoformat()
    params["date_to"] = json_date_to

    params["max_rows"] = max_rows

    params["base_currency"] = base_currency

    params["merchant_ref"] = merchant_ref

    params["currency"] = currency

    json_by: str | Unset = UNSET
    if not isinstance(by, Unset):
        json_by = by

    params["by"] = json_by

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/{name}".format(
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ReportOut | None:
    if response.status_code == 200:
        response_200 = ReportOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = cast(Any, None)
        return response_400

    if response.status_code == 401:
        response_401 = cast(Any, None)
        return response_401

    if response.status_code == 403:
        response_403 = cast(Any, None)
        return response_403

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 422:
        response_422 = cast(Any, None)
        return response_422

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ReportOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    format_: None | RunV1ReportsNameGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: str | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: str | Unset = UNSET,
    by: RunV1ReportsNameGetBy | Unset = UNSET,
) -> Response[Any | ReportOut]:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | RunV1ReportsNameGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (str | Unset):
        merchant_ref (str | Unset):
        currency (str | Unset):
        by (RunV1ReportsNameGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ReportOut]
    """

    kwargs = _get_kwargs(
        name=name,
        format_=format_,
        ledger=ledger,
        as_of_date=as_of_date,
        account_id=account_id,
        date_from=date_from,
        date_to=date_to,
        max_rows=max_rows,
        base_currency=base_currency,
        merchant_ref=merchant_ref,
        currency=currency,
        by=by,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    format_: None | RunV1ReportsNameGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: str | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: str | Unset = UNSET,
    by: RunV1ReportsNameGetBy | Unset = UNSET,
) -> Any | ReportOut | None:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | RunV1ReportsNameGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (str | Unset):
        merchant_ref (str | Unset):
        currency (str | Unset):
        by (RunV1ReportsNameGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ReportOut
    """

    return sync_detailed(
        name=name,
        client=client,
        format_=format_,
        ledger=ledger,
        as_of_date=as_of_date,
        account_id=account_id,
        date_from=date_from,
        date_to=date_to,
        max_rows=max_rows,
        base_currency=base_currency,
        merchant_ref=merchant_ref,
        currency=currency,
        by=by,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    format_: None | RunV1ReportsNameGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: str | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: str | Unset = UNSET,
    by: RunV1ReportsNameGetBy | Unset = UNSET,
) -> Response[Any | ReportOut]:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | RunV1ReportsNameGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (str | Unset):
        merchant_ref (str | Unset):
        currency (str | Unset):
        by (RunV1ReportsNameGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ReportOut]
    """

    kwargs = _get_kwargs(
        name=name,
        format_=format_,
        ledger=ledger,
        as_of_date=as_of_date,
        account_id=account_id,
        date_from=date_from,
        date_to=date_to,
        max_rows=max_rows,
        base_currency=base_currency,
        merchant_ref=merchant_ref,
        currency=currency,
        by=by,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    format_: None | RunV1ReportsNameGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: str | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: str | Unset = UNSET,
    by: RunV1ReportsNameGetBy | Unset = UNSET,
) -> Any | ReportOut | None:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | RunV1ReportsNameGetFormatType0 | Unset): json (default) or csv; Accept:
            text/csv also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (str | Unset):
        merchant_ref (str | Unset):
        currency (str | Unset):
        by (RunV1ReportsNameGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ReportOut
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            format_=format_,
            ledger=ledger,
            as_of_date=as_of_date,
            account_id=account_id,
            date_from=date_from,
            date_to=date_to,
            max_rows=max_rows,
            base_currency=base_currency,
            merchant_ref=merchant_ref,
            currency=currency,
            by=by,
        )
    ).parsed
