import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.currency import Currency
from ...models.page_exception_out import PageExceptionOut
from ...models.problem import Problem
from ...models.recon_exceptions_list_age_type_0 import (
    ReconExceptionsListAgeType0,
)
from ...models.recon_exceptions_list_direction_type_0 import (
    ReconExceptionsListDirectionType0,
)
from ...models.recon_exceptions_list_side_type_0 import (
    ReconExceptionsListSideType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    side: None | ReconExceptionsListSideType0 | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    direction: None | ReconExceptionsListDirectionType0 | Unset = UNSET,
    amount_min: None | str | Unset = UNSET,
    amount_max: None | str | Unset = UNSET,
    age: None | ReconExceptionsListAgeType0 | Unset = UNSET,
    value_from: datetime.date | None | Unset = UNSET,
    value_to: datetime.date | None | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_side: None | str | Unset
    if isinstance(side, Unset):
        json_side = UNSET
    elif isinstance(side, str):
        json_side = side
    else:
        json_side = side
    params["side"] = json_side

    json_recon_account_id: None | str | Unset
    if isinstance(recon_account_id, Unset):
        json_recon_account_id = UNSET
    elif isinstance(recon_account_id, UUID):
        json_recon_account_id = str(recon_account_id)
    else:
        json_recon_account_id = recon_account_id
    params["recon_account_id"] = json_recon_account_id

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_direction: None | str | Unset
    if isinstance(direction, Unset):
        json_direction = UNSET
    elif isinstance(direction, str):
        json_direction = direction
    else:
        json_direction = direction
    params["direction"] = json_direction

    json_amount_min: None | str | Unset
    if isinstance(amount_min, Unset):
        json_amount_min = UNSET
    else:
        json_amount_min = amount_min
    params["amount_min"] = json_amount_min

    json_amount_max: None | str | Unset
    if isinstance(amount_max, Unset):
        json_amount_max = UNSET
    else:
        json_amount_max = amount_max
    params["amount_max"] = json_amount_max

    json_age: None | str | Unset
    if isinstance(age, Unset):
        json_age = UNSET
    elif isinstance(age, str):
        json_age = age
    else:
        json_age = age
    params["age"] = json_age

    json_value_from: None | str | Unset
    if isinstance(value_from, Unset):
        json_value_from = UNSET
    elif isinstance(value_from, datetime.date):
        json_value_from = value_from.isoformat()
    else:
        json_value_from = value_from
    params["value_from"] = json_value_from

    json_value_to: None | str | Unset
    if isinstance(value_to, Unset):
        json_value_to = UNSET
    elif isinstance(value_to, datetime.date):
        json_value_to = value_to.isoformat()
    else:
        json_value_to = value_to
    params["value_to"] = json_value_to

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    elif isinstance(currency, str):
        json_currency = currency
    else:
        json_currency = currency
    params["currency"] = json_currency

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recon/exceptions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageExceptionOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageExceptionOut.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PageExceptionOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    side: None | ReconExceptionsListSideType0 | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    direction: None | ReconExceptionsListDirectionType0 | Unset = UNSET,
    amount_min: None | str | Unset = UNSET,
    amount_max: None | str | Unset = UNSET,
    age: None | ReconExceptionsListAgeType0 | Unset = UNSET,
    value_from: datetime.date | None | Unset = UNSET,
    value_to: datetime.date | None | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageExceptionOut | Problem]:
    """Unmatched statement lines and ledger entries, oldest first, with age

     In the order value date, side (`entry` before `line`), id.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `recon:read`
    (else 403 `forbidden_scope`).

    Args:
        side (None | ReconExceptionsListSideType0 | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset): ages are counted to this day (default today, China
            time)
        q (None | str | Unset): text in the reference, description or counterparty; or an amount
            (`1,234.50`) equal to the absolute amount
        direction (None | ReconExceptionsListDirectionType0 | Unset): `in`: money in (positive
            amounts); `out`: money out
        amount_min (None | str | Unset): smallest absolute amount, in the item's currency (decimal
            string)
        amount_max (None | str | Unset): largest absolute amount, in the item's currency (decimal
            string)
        age (None | ReconExceptionsListAgeType0 | Unset): age bucket in days since the value date
        value_from (datetime.date | None | Unset): value date on or after
        value_to (datetime.date | None | Unset): value date on or before
        currency (Currency | None | Unset): only items in this currency
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageExceptionOut | Problem]
    """

    kwargs = _get_kwargs(
        side=side,
        recon_account_id=recon_account_id,
        as_of=as_of,
        q=q,
        direction=direction,
        amount_min=amount_min,
        amount_max=amount_max,
        age=age,
        value_from=value_from,
        value_to=value_to,
        currency=currency,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    side: None | ReconExceptionsListSideType0 | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    direction: None | ReconExceptionsListDirectionType0 | Unset = UNSET,
    amount_min: None | str | Unset = UNSET,
    amount_max: None | str | Unset = UNSET,
    age: None | ReconExceptionsListAgeType0 | Unset = UNSET,
    value_from: datetime.date | None | Unset = UNSET,
    value_to: datetime.date | None | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageExceptionOut | Problem | None:
    """Unmatched statement lines and ledger entries, oldest first, with age

     In the order value date, side (`entry` before `line`), id.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `recon:read`
    (else 403 `forbidden_scope`).

    Args:
        side (None | ReconExceptionsListSideType0 | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset): ages are counted to this day (default today, China
            time)
        q (None | str | Unset): text in the reference, description or counterparty; or an amount
            (`1,234.50`) equal to the absolute amount
        direction (None | ReconExceptionsListDirectionType0 | Unset): `in`: money in (positive
            amounts); `out`: money out
        amount_min (None | str | Unset): smallest absolute amount, in the item's currency (decimal
            string)
        amount_max (None | str | Unset): largest absolute amount, in the item's currency (decimal
            string)
        age (None | ReconExceptionsListAgeType0 | Unset): age bucket in days since the value date
        value_from (datetime.date | None | Unset): value date on or after
        value_to (datetime.date | None | Unset): value date on or before
        currency (Currency | None | Unset): only items in this currency
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageExceptionOut | Problem
    """

    return sync_detailed(
        client=client,
        side=side,
        recon_account_id=recon_account_id,
        as_of=as_of,
        q=q,
        direction=direction,
        amount_min=amount_min,
        amount_max=amount_max,
        age=age,
        value_from=value_from,
        value_to=value_to,
        currency=currency,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    side: None | ReconExceptionsListSideType0 | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    direction: None | ReconExceptionsListDirectionType0 | Unset = UNSET,
    amount_min: None | str | Unset = UNSET,
    amount_max: None | str | Unset = UNSET,
    age: None | ReconExceptionsListAgeType0 | Unset = UNSET,
    value_from: datetime.date | None | Unset = UNSET,
    value_to: datetime.date | None | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageExceptionOut | Problem]:
    """Unmatched statement lines and ledger entries, oldest first, with age

     In the order value date, side (`entry` before `line`), id.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `recon:read`
    (else 403 `forbidden_scope`).

    Args:
        side (None | ReconExceptionsListSideType0 | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset): ages are counted to this day (default today, China
            time)
        q (None | str | Unset): text in the reference, description or counterparty; or an amount
            (`1,234.50`) equal to the absolute amount
        direction (None | ReconExceptionsListDirectionType0 | Unset): `in`: money in (positive
            amounts); `out`: money out
        amount_min (None | str | Unset): smallest absolute amount, in the item's currency (decimal
            string)
        amount_max (None | str | Unset): largest absolute amount, in the item's currency (decimal
            string)
        age (None | ReconExceptionsListAgeType0 | Unset): age bucket in days since the value date
        value_from (datetime.date | None | Unset): value date on or after
        value_to (datetime.date | None | Unset): value date on or before
        currency (Currency | None | Unset): only items in this currency
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageExceptionOut | Problem]
    """

    kwargs = _get_kwargs(
        side=side,
        recon_account_id=recon_account_id,
        as_of=as_of,
        q=q,
        direction=direction,
        amount_min=amount_min,
        amount_max=amount_max,
        age=age,
        value_from=value_from,
        value_to=value_to,
        currency=currency,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    side: None | ReconExceptionsListSideType0 | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    direction: None | ReconExceptionsListDirectionType0 | Unset = UNSET,
    amount_min: None | str | Unset = UNSET,
    amount_max: None | str | Unset = UNSET,
    age: None | ReconExceptionsListAgeType0 | Unset = UNSET,
    value_from: datetime.date | None | Unset = UNSET,
    value_to: datetime.date | None | Unset = UNSET,
    currency: Currency | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageExceptionOut | Problem | None:
    """Unmatched statement lines and ledger entries, oldest first, with age

     In the order value date, side (`entry` before `line`), id.

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope `recon:read`
    (else 403 `forbidden_scope`).

    Args:
        side (None | ReconExceptionsListSideType0 | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset): ages are counted to this day (default today, China
            time)
        q (None | str | Unset): text in the reference, description or counterparty; or an amount
            (`1,234.50`) equal to the absolute amount
        direction (None | ReconExceptionsListDirectionType0 | Unset): `in`: money in (positive
            amounts); `out`: money out
        amount_min (None | str | Unset): smallest absolute amount, in the item's currency (decimal
            string)
        amount_max (None | str | Unset): largest absolute amount, in the item's currency (decimal
            string)
        age (None | ReconExceptionsListAgeType0 | Unset): age bucket in days since the value date
        value_from (datetime.date | None | Unset): value date on or after
        value_to (datetime.date | None | Unset): value date on or before
        currency (Currency | None | Unset): only items in this currency
        limit (int | Unset): rows per page (1 to 1000, default 50) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit for the first page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageExceptionOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            side=side,
            recon_account_id=recon_account_id,
            as_of=as_of,
            q=q,
            direction=direction,
            amount_min=amount_min,
            amount_max=amount_max,
            age=age,
            value_from=value_from,
            value_to=value_to,
            currency=currency,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
