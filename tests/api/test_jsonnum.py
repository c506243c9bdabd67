"""An integral JSON number (7.0) is an integer, as JSON Schema says; 7.5,
true and "7" are not (api.jsonnum)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.routers.financing import ApplicationIn, ProductIn
from api.routers.recon import CsvMappingIn, ReconAccountIn

PRODUCT = "0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e50"


def test_an_integral_float_is_read_as_the_integer():
    assert ApplicationIn.model_validate({"product_id": PRODUCT, "amount": "10.00", "tenor_days": 307.0}).tenor_days == 307
    p = ProductIn.model_validate({"code": "p", "kind": "order", "currency": "USD", "config": {"min_tenor_days": 30.0, "dpd_buckets": [["1-30", 1.0, 30.0]]}})
    assert p.config.min_tenor_days == 30 and p.config.dpd_buckets == [("1-30", 1, 30)]
    a = ReconAccountIn.model_validate({"bank_account": "CN1", "ledger_account_id": PRODUCT, "matching": {"date_window_days": 16.0}})
    assert a.matching.date_window_days == 16 and type(a.matching.date_window_days) is int
    m = CsvMappingIn.model_validate({"name": "m", "mapping": {"has_header": False, "columns": {"amount": 1.0, "value_date": 0}}})
    assert m.mapping.columns == {"amount": 1, "value_date": 0}


@pytest.mark.parametrize("bad", [307.5, True, "307", None])
def test_a_fraction_a_boolean_or_a_string_is_not_an_integer(bad):
    with pytest.raises(ValidationError):
        ApplicationIn.model_validate({"product_id": PRODUCT, "amount": "10.00", "tenor_days": bad})
