"""``xborder report list`` and ``xborder report run`` (typer CliRunner, in
process, on a SQLite file): rich tables, CSV and JSON with the same numbers,
files with --out, and clear errors."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from ledger.config import Settings, get_settings
from ledger.db import create_engine
from ledger.model import NewTransaction, Posting
from ledger.service import Ledger


@pytest.fixture
def cli_db(sqlite_template, tmp_path, monkeypatch):
    """A migrated SQLite file with institution ``cli-bank``: USD 1,000.00
    received for a merchant, a 25.00 fee, and CNY 7,100.00 held."""
    path = tmp_path / "cli.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"
    keys = tmp_path / "keys"
    monkeypatch.setenv("XBORDER_DATABASE_URL", url)
    monkeypatch.setenv("XBORDER_DATA_DIR", str(keys))
    monkeypatch.setenv("XBORDER_SECRET_KEY", base64.b64encode(b"\x09" * 32).decode())
    monkeypatch.setenv("XBORDER_REGISTRY_KEY", base64.b64encode(b"\x0a" * 32).decode())
    monkeypatch.setenv("XBORDER_LEDGER_SIGNING_KEY", base64.b64encode(b"\x07" * 32).decode())
    get_settings.cache_clear()

    async def seed():
        settings = Settings()
        engine = create_engine(url, settings=settings)
        lg = Ledger(engine, settings)
        inst = await lg.create_institution("cli-bank", "CLI Bank")
        led = await lg.create_ledger(inst.id, "main")
        ids = {}
        for code, cur, typ in (("bank", "USD", "asset"), ("merchant", "USD", "liability"), ("fees", "USD", "income"), ("bank_cny", "CNY", "asset"), ("merchant_cny", "CNY", "liability")):
            ids[code] = (await lg.create_account(inst.id, led.id, code, cur, typ)).id
        for d, c, amt in (("bank", "merchant", 100_000), ("merchant", "fees", 2_500), ("bank_cny", "merchant_cny", 710_000)):
            await lg.post(inst.id, NewTransaction(led.id, [Posting(ids[d], amt, "debit"), Posting(ids[c], amt, "credit")], description="=1+1" if d == "merchant" else "seed"))
        await engine.dispose()
        return ids

    ids = asyncio.run(seed())
    yield ids
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch):
    # rich reads COLUMNS when a console is made (at import, maybe under
    # another test's environment): the report console is made wide here
    from api import cli_reports

    monkeypatch.setattr(cli_reports._console, "_width", 250)


def _invoke(*args):
    from api.cli import app

    return CliRunner().invoke(app, ["report", *args], env={"COLUMNS": "250"})


def test_report_list_names_every_report_with_its_parameters(cli_db):
    out = _invoke("list")
    assert out.exit_code == 0, out.output
    for name in ("trial_balance", "account_statement", "fx_position", "advance_aging", "loan_portfolio", "monitoring"):
        assert name in out.output
    assert "account_id:uuid*" in out.output


def test_report_run_prints_a_table_with_totals(cli_db):
    out = _invoke("run", "trial_balance", "--institution", "cli-bank")
    assert out.exit_code == 0, out.output
    assert "Trial balance" in out.output
    lines = out.output.splitlines()
    bank = next(x for x in lines if " bank " in x and "USD" in x)
    assert "1000.00" in bank
    totals = [x for x in lines if "total" in x]
    # debits = credits, and the debit balances = the credit balances, per currency
    assert any("USD" in x and x.count("1025.00") == 2 and x.count("1000.00") == 2 and "0.00" in x for x in totals), totals
    assert any("CNY" in x and x.count("7100.00") == 4 for x in totals), totals


def test_report_run_csv_and_json_carry_the_same_numbers(cli_db, tmp_path):
    out = _invoke("run", "account_statement", "-i", "cli-bank", "--param", f"account_id={cli_db['merchant']}", "--format", "csv")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [(r["Description"], r["Debit"], r["Credit"], r["Balance"]) for r in rows] == [
        ("opening balance", "", "", "0.00"), ("seed", "", "1000.00", "1000.00"), ("'=1+1", "25.00", "", "975.00"), ("closing balance", "25.00", "1000.00", "975.00"),
    ]
    target = tmp_path / "tb.json"
    out = _invoke("run", "trial_balance", "-i", "cli-bank", "-p", "ledger=main", "-f", "json", "--out", str(target))
    assert out.exit_code == 0, out.output
    body = json.loads(target.read_text())
    totals = {t["currency"]: t for t in body["totals"]}
    assert (totals["USD"]["debits"], totals["USD"]["credits"], totals["USD"]["net"]) == ("1025.00", "1025.00", "0.00")
    assert body["params"] == {"ledger": "main", "as_of_date": None}
    table_file = tmp_path / "tb.txt"
    out = _invoke("run", "trial_balance", "-i", "cli-bank", "--out", str(table_file))
    assert out.exit_code == 0 and "1025.00" in table_file.read_text()


def test_report_run_errors_are_clear_and_exit_non_zero(cli_db):
    out = _invoke("run", "nope", "-i", "cli-bank")
    assert out.exit_code == 1 and "report_not_found" in out.output
    out = _invoke("run", "account_statement", "-i", "cli-bank")
    assert out.exit_code == 1 and "invalid_report_parameter" in out.output and "account_id" in out.output
    out = _invoke("run", "trial_balance", "-i", "no-such-bank")
    assert out.exit_code == 1 and "no institution" in out.output
    out = _invoke("run", "trial_balance", "-i", "cli-bank", "-p", "as_of_date")
    assert out.exit_code == 2 and "key=value" in out.output
    out = _invoke("run", "trial_balance", "-i", "cli-bank", "-f", "xlsx")
    assert out.exit_code == 2
