"""The statement fixtures of ``tests/recon/data``, written by ``recon.samples``.

``python -m tests.recon.fixtures`` rewrites them; ``test_parsers`` checks
that the committed files are exactly what this module writes.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from recon.samples import SampleEntry, write_camt053, write_mt940

DATA = Path(__file__).parent / "data"
CST = timezone(timedelta(hours=8))

CNY_ACCOUNT = "437765432101"  # Bank of China, Shanghai Branch (not an IBAN: Acct/Id/Othr/Id)
CNY_ENTRIES = [
    SampleEntry(
        amount_minor=128_000_000,
        booking_date=date(2026, 3, 2),
        value_date=date(2026, 3, 2),
        end_to_end_ref="E2E-HAM-20260227-01",
        bank_ref="BOCSH260302000118",
        uetr="8a562c67-ca16-48ba-b074-65581be6f011",
        description="货款 发票号 INV-2026-0012 跨境人民币结算 汉堡发货",
        counterparty_name="Hanseatic Machinery GmbH",
        counterparty_account="DE89370400440532013000",
        counterparty_bic="COBADEFFXXX",
    ),
    SampleEntry(
        amount_minor=35_550_075,
        booking_date=date(2026, 3, 3),
        value_date=date(2026, 3, 3),
        end_to_end_ref="SGTR-7781-A",
        bank_ref="BOCSH260303000207",
        description="服务费 合同号 SH-SG-2026-07 新加坡",
        counterparty_name="Lion City Logistics Pte Ltd",
        counterparty_account="0123456789",
        counterparty_bic="DBSSSGSGXXX",
    ),
    SampleEntry(
        amount_minor=-15_000,
        booking_date=date(2026, 3, 3),
        end_to_end_ref=None,
        bank_ref="BOCSH260303FEE01",
        description="跨境汇款手续费",
        bank_tx_code=("ACMT", "MCOP", "CHRG"),
    ),
    SampleEntry(
        amount_minor=8_888_800,
        booking_date=date(2026, 3, 4),
        value_date=date(2026, 3, 5),
        end_to_end_ref="HK-2026-0304-88",
        bank_ref="BOCSH260304000031",
        description="预付款 订单 PO-88 香港",
        counterparty_name="Victoria Harbour Trading Ltd",
        counterparty_account="012-875-0-123456",
        charges_minor=5_000,
    ),
    SampleEntry(  # pending: not imported as booked
        amount_minor=50_000_000,
        booking_date=date(2026, 3, 5),
        end_to_end_ref="E2E-PENDING-01",
        description="在途资金 待入账",
        status="PDNG",
    ),
]

USD_ACCOUNT = "1001234509876543210"  # ICBC Shanghai, USD account
USD_ENTRIES = [
    SampleEntry(
        amount_minor=2_500_000,
        booking_date=date(2026, 3, 2),
        value_date=date(2026, 3, 2),
        end_to_end_ref="INV2026-0045",
        bank_ref="ICBC0302A1",
        description="PAYMENT FOR INVOICE 2026-0045",
        counterparty_name="Pacific Importers LLC",
    ),
    SampleEntry(
        amount_minor=-1_275_050,
        booking_date=date(2026, 3, 3),
        value_date=date(2026, 3, 3),
        end_to_end_ref="PO-7781",
        bank_ref="ICBC0303B7",
        description="SUPPLIER PAYMENT PO 7781",
        counterparty_name="Shenzhen Parts Co",
    ),
    SampleEntry(
        amount_minor=-3_500,
        booking_date=date(2026, 3, 3),
        bank_ref="ICBC0303FEE",
        description="CABLE CHARGE",
    ),
    SampleEntry(
        amount_minor=99_999,
        booking_date=date(2026, 3, 4),
        value_date=date(2026, 3, 6),
        end_to_end_ref="REF-99999",
        bank_ref="ICBC0304C2",
        description="REFUND",
    ),
]

CSV_TEXT = (
    "Booking date;Value date;Debit;Credit;Currency;Reference;Bank reference;Text;Counterparty\r\n"
    "02.03.2026;02.03.2026;;25.000,00;USD;INV2026-0045;ICBC0302A1;PAYMENT FOR INVOICE 2026-0045;Pacific Importers LLC\r\n"
    "03.03.2026;03.03.2026;12.750,50;;USD;PO-7781;ICBC0303B7;SUPPLIER PAYMENT PO 7781;Shenzhen Parts Co\r\n"
    "03.03.2026;03.03.2026;35,00;;USD;;ICBC0303FEE;CABLE CHARGE;\r\n"
    "04.03.2026;06.03.2026;;999,99;USD;REF-99999;ICBC0304C2;REFUND;\r\n"
)
CSV_MAPPING = {
    "delimiter": ";",
    "date_format": "%d.%m.%Y",
    "decimal_separator": ",",
    "thousands_separator": ".",
    "fixed_account": USD_ACCOUNT,
    "columns": {
        "booking_date": "Booking date",
        "value_date": "Value date",
        "debit": "Debit",
        "credit": "Credit",
        "currency": "Currency",
        "end_to_end_ref": "Reference",
        "bank_ref": "Bank reference",
        "description": "Text",
        "counterparty_name": "Counterparty",
    },
}


def cny_camt() -> bytes:
    out = io.BytesIO()
    write_camt053(
        out,
        account=CNY_ACCOUNT,
        currency="CNY",
        entries=CNY_ENTRIES,
        statement_id="BOCSH-437765432101-20260305",
        message_id="BOCSH20260305EOD0001",
        created_at=datetime(2026, 3, 5, 18, 0, tzinfo=CST),
        opening_balance_minor=1_000_000_00,
        opening_date=date(2026, 3, 1),
        closing_date=date(2026, 3, 5),
        account_owner="上海浦江进出口有限公司",
        servicer_bic="BKCHCNBJ300",
        servicer_name="中国银行上海市分行",
        sequence=64,
    )
    return out.getvalue()


def usd_camt() -> bytes:
    out = io.BytesIO()
    write_camt053(
        out,
        account=USD_ACCOUNT,
        currency="USD",
        entries=USD_ENTRIES,
        statement_id="ICBCSH-USD-20260304",
        message_id="ICBCSH20260304EOD",
        created_at=datetime(2026, 3, 4, 18, 30, tzinfo=CST),
        opening_balance_minor=50_000_00,
        opening_date=date(2026, 3, 1),
        closing_date=date(2026, 3, 4),
        servicer_bic="ICBKCNBJSHI",
        sequence=63,
    )
    return out.getvalue()


def usd_mt940() -> bytes:
    out = io.BytesIO()
    write_mt940(
        out,
        account=USD_ACCOUNT,
        currency="USD",
        entries=USD_ENTRIES,
        statement_id="ICBCSH260304",
        statement_number=63,
        opening_balance_minor=50_000_00,
        opening_date=date(2026, 3, 1),
        closing_date=date(2026, 3, 4),
        sender_bic="ICBKCNBJSHI",
    )
    return out.getvalue()


def all_fixtures() -> dict[str, bytes]:
    cny = cny_camt()
    usd = usd_camt()
    mt = usd_mt940()
    truncated = cny[: cny.index(b"<Ntry>", cny.index(b"<Ntry>") + 1) + 200]
    wrong_amount = usd.replace(b'<Amt Ccy="USD">12750.50</Amt>', b'<Amt Ccy="USD">12.750,50</Amt>', 1)
    too_precise = usd.replace(b'<Amt Ccy="USD">999.99</Amt>', b'<Amt Ccy="USD">999.995</Amt>', 1)
    broken_61 = mt.replace(b":61:2603030303D12750,50NTRF", b":61:2603X30303D12750,50NTRF", 1)
    no_currency = mt.replace(b":60F:C260301USD", b":60F:C260301", 1)
    bad_csv = CSV_TEXT.replace("12.750,50", "12.750,5O").encode()
    assert truncated != cny and wrong_amount != usd and too_precise != usd
    assert broken_61 != mt and no_currency != mt and bad_csv != CSV_TEXT.encode()
    return {
        "cny.camt053.v8.xml": cny,
        "usd.camt053.v8.xml": usd,
        "usd.mt940.sta": mt,
        "usd.statement.csv": CSV_TEXT.encode(),
        "broken.truncated.camt053.xml": truncated,
        "broken.wrong-amount.camt053.xml": wrong_amount,
        "broken.too-many-decimals.camt053.xml": too_precise,
        "broken.bad-61.mt940.sta": broken_61,
        "broken.no-currency.mt940.sta": no_currency,
        "broken.bad-amount.csv": bad_csv,
    }


def write_all(directory: Path = DATA) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in all_fixtures().items():
        (directory / name).write_bytes(data)


if __name__ == "__main__":
    write_all()
