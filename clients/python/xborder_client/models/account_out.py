from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.account_out_metadata import AccountOutMetadata


T = TypeVar("T", bound="AccountOut")


@_attrs_define
class AccountOut:
    id: UUID
    ledger_id: UUID
    code: str
    name: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    type_: str
    owner_ref: None | str
    metadata: AccountOutMetadata
    debits_must_not_exceed_credits: bool
    credits_must_not_exceed_debits: bool
    closed: bool
    posted: str
    """ posted balance on the account's normal side """
    available: str
    """ posted less pending amounts leaving the account """
    debits_posted: str
    """ Decimal amount in major units with the currency's decimals """
    credits_posted: str
    """ Decimal amount in major units with the currency's decimals """
    debits_pending: str
    """ Decimal amount in major units with the currency's decimals """
    credits_pending: str
    """ Decimal amount in major units with the currency's decimals """
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        ledger_id = str(self.ledger_id)

        code = self.code

        name = self.name

        currency: str = self.currency

        type_ = self.type_

        owner_ref: None | str
        owner_ref = self.owner_ref

        metadata = self.metadata.to_dict()

        debits_must_not_exceed_credits = self.debits_must_not_exceed_credits

        credits_must_not_exceed_debits = self.credits_must_not_exceed_debits

        closed = self.closed

        posted = self.posted

        available = self.available

        debits_posted = self.debits_posted

        credits_posted = self.credits_posted

        debits_pending = self.debits_pending

        credits_pending = self.credits_pending

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "ledger_id": ledger_id,
                "code": code,
                "name": name,
                "currency": currency,
                "type": type_,
                "owner_ref": owner_ref,
                "metadata": metadata,
                "debits_must_not_exceed_credits": debits_must_not_exceed_credits,
                "credits_must_not_exceed_debits": credits_must_not_exceed_debits,
                "closed": closed,
                "posted": posted,
                "available": available,
                "debits_posted": debits_posted,
                "credits_posted": credits_posted,
                "debits_pending": debits_pending,
                "credits_pending": credits_pending,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_out_metadata import AccountOutMetadata  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        ledger_id = UUID(d.pop("ledger_id"))

        code = d.pop("code")

        name = d.pop("name")

        currency = check_currency(d.pop("currency"))

        type_ = d.pop("type")

        def _parse_owner_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_ref = _parse_owner_ref(d.pop("owner_ref"))

        metadata = AccountOutMetadata.from_dict(d.pop("metadata"))

        debits_must_not_exceed_credits = d.pop("debits_must_not_exceed_credits")

        credits_must_not_exceed_debits = d.pop("credits_must_not_exceed_debits")

        closed = d.pop("closed")

        posted = d.pop("posted")

        available = d.pop("available")

        debits_posted = d.pop("debits_posted")

        credits_posted = d.pop("credits_posted")

        debits_pending = d.pop("debits_pending")

        credits_pending = d.pop("credits_pending")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        account_out = cls(
            id=id,
            ledger_id=ledger_id,
            code=code,
            name=name,
            currency=currency,
            type_=type_,
            owner_ref=owner_ref,
            metadata=metadata,
            debits_must_not_exceed_credits=debits_must_not_exceed_credits,
            credits_must_not_exceed_debits=credits_must_not_exceed_debits,
            closed=closed,
            posted=posted,
            available=available,
            debits_posted=debits_posted,
            credits_posted=credits_posted,
            debits_pending=debits_pending,
            credits_pending=credits_pending,
            created_at=created_at,
        )

        account_out.additional_properties = d
        return account_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
