import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.currency import Currency
from ...models.problem import Problem
from ...models.report_out import ReportOut
from ...models.reports_get_by import ReportsGetBy
from ...models.reports_get_format_type_0 import ReportsGetFormatType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    format_: None | ReportsGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: Currency | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    by: ReportsGetBy | Unset = UNSET,
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

    json_base_currency: str | Unset = UNSET
    if not isinstance(base_currency, Unset):
        json_base_currency = base_currency

    params["base_currency"] = json_base_currency

    params["merchant_ref"] = merchant_ref

    json_currency: str | Unset = UNSET
    if not isinstance(currency, Unset):
        json_currency = currency

    params["currency"] = json_currency

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


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReportOut | None:
    if response.status_code == 200:
        response_200 = ReportOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ReportOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    format_: None | ReportsGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: Currency | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    by: ReportsGetBy | Unset = UNSET,
) -> Response[Problem | ReportOut]:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | ReportsGetFormatType0 | Unset): json (default) or csv; Accept: text/csv
            also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        merchant_ref (str | Unset):
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        by (ReportsGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportOut]
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
    client: AuthenticatedClient,
    format_: None | ReportsGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: Currency | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    by: ReportsGetBy | Unset = UNSET,
) -> Problem | ReportOut | None:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | ReportsGetFormatType0 | Unset): json (default) or csv; Accept: text/csv
            also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        merchant_ref (str | Unset):
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        by (ReportsGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReportOut
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
    client: AuthenticatedClient,
    format_: None | ReportsGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: Currency | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    by: ReportsGetBy | Unset = UNSET,
) -> Response[Problem | ReportOut]:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | ReportsGetFormatType0 | Unset): json (default) or csv; Accept: text/csv
            also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        merchant_ref (str | Unset):
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        by (ReportsGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportOut]
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
    client: AuthenticatedClient,
    format_: None | ReportsGetFormatType0 | Unset = UNSET,
    ledger: str | Unset = UNSET,
    as_of_date: datetime.date | Unset = UNSET,
    account_id: UUID | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    max_rows: int | Unset = UNSET,
    base_currency: Currency | Unset = UNSET,
    merchant_ref: str | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    by: ReportsGetBy | Unset = UNSET,
) -> Problem | ReportOut | None:
    """Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)

    Args:
        name (str): report name, from GET /v1/reports
        format_ (None | ReportsGetFormatType0 | Unset): json (default) or csv; Accept: text/csv
            also selects CSV
        ledger (str | Unset):
        as_of_date (datetime.date | Unset):
        account_id (UUID | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        max_rows (int | Unset):
        base_currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        merchant_ref (str | Unset):
        currency (Currency | Unset): ISO 4217 alphabetic code usable for payments (precious
            metals, funds and test codes are not)
        by (ReportsGetBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReportOut
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
