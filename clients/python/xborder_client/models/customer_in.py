from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..models.customer_in_fx_class_type_0 import CustomerInFxClassType0, check_customer_in_fx_class_type_0
from ..models.customer_in_kind import CustomerInKind, check_customer_in_kind
from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerIn")


@_attrs_define
class CustomerIn:
    ref: str
    """ the institution's reference; trade data and SME users name the merchant by it """
    kind: CustomerInKind
    name: str
    """ personal data: stored encrypted """
    id_number: None | str | Unset = UNSET
    """ ID card number or unified social credit code; stored encrypted, found by a blind index. Required for
    individuals (else 422 `customer_rule`) """
    phone: None | str | Unset = UNSET
    """ stored encrypted """
    fx_class: CustomerInFxClassType0 | None | Unset = UNSET
    """ goods-trade FX management class; required for merchants, absent for individuals. The rules across fields
    (this one, an individual's ID number, directory registration only for merchants, `registered_on` only when
    registered, no CNY in `currencies`) are refused with 422 `customer_rule` """
    directory_registered: bool | Unset = False
    registered_on: datetime.date | None | Unset = UNSET
    currencies: list[Currency] | Unset = UNSET
    """ foreign currencies to open accounts in (the CNY account is always opened) """

    def to_dict(self) -> dict[str, Any]:
        ref = self.ref

        kind: str = self.kind

        name = self.name

        id_number: None | str | Unset
        if isinstance(self.id_number, Unset):
            id_number = UNSET
        else:
            id_number = self.id_number

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        fx_class: None | str | Unset
        if isinstance(self.fx_class, Unset):
            fx_class = UNSET
        elif isinstance(self.fx_class, str):
            fx_class = self.fx_class
        else:
            fx_class = self.fx_class

        directory_registered = self.directory_registered

        registered_on: None | str | Unset
        if isinstance(self.registered_on, Unset):
            registered_on = UNSET
        elif isinstance(self.registered_on, datetime.date):
            registered_on = self.registered_on.isoformat()
        else:
            registered_on = self.registered_on

        currencies: list[str] | Unset = UNSET
        if not isinstance(self.currencies, Unset):
            currencies = []
            for currencies_item_data in self.currencies:
                currencies_item: str = currencies_item_data
                currencies.append(currencies_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ref": ref,
                "kind": kind,
                "name": name,
            }
        )
        if id_number is not UNSET:
            field_dict["id_number"] = id_number
        if phone is not UNSET:
            field_dict["phone"] = phone
        if fx_class is not UNSET:
            field_dict["fx_class"] = fx_class
        if directory_registered is not UNSET:
            field_dict["directory_registered"] = directory_registered
        if registered_on is not UNSET:
            field_dict["registered_on"] = registered_on
        if currencies is not UNSET:
            field_dict["currencies"] = currencies

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ref = d.pop("ref")

        kind = check_customer_in_kind(d.pop("kind"))

        name = d.pop("name")

        def _parse_id_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id_number = _parse_id_number(d.pop("id_number", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_fx_class(data: object) -> CustomerInFxClassType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fx_class_type_0 = check_customer_in_fx_class_type_0(data)

                return fx_class_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerInFxClassType0 | None | Unset, data)

        fx_class = _parse_fx_class(d.pop("fx_class", UNSET))

        directory_registered = d.pop("directory_registered", UNSET)

        def _parse_registered_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                registered_on_type_0 = datetime.date.fromisoformat(data)

                return registered_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        registered_on = _parse_registered_on(d.pop("registered_on", UNSET))

        _currencies = d.pop("currencies", UNSET)
        currencies: list[Currency] | Unset = UNSET
        if _currencies is not UNSET:
            currencies = []
            for currencies_item_data in _currencies:
                currencies_item = check_currency(currencies_item_data)

                currencies.append(currencies_item)

        customer_in = cls(
            ref=ref,
            kind=kind,
            name=name,
            id_number=id_number,
            phone=phone,
            fx_class=fx_class,
            directory_registered=directory_registered,
            registered_on=registered_on,
            currencies=currencies,
        )

        return customer_in
