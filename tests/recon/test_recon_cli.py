"""``xborder recon``: import with a progress bar (once, all or nothing), run,
exceptions and summary, on the demo's SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from recon.samples import SampleEntry, write_camt053

BANK = "CN0010400000000001234567"  # the demo's reconciled USD account


def _run(args, cwd, env):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240)


def test_recon_import_run_exceptions_and_summary_from_the_command_line(tmp_path):
    env = {**os.environ, "XBORDER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}", "XBORDER_DATA_DIR": str(tmp_path / "keys"),
           "COLUMNS": "250", "XBORDER_PROGRESS": "1"}
    env["PYTHONPATH"] = os.getcwd() + os.pathsep + env.get("PYTHONPATH", "")
    demo = _run(["demo", "--no-serve"], tmp_path, env)
    assert demo.returncode == 0, demo.stderr
    # the demo imported and matched its own statement: two exceptions wait
    ex = _run(["recon", "exceptions", "-i", "demo-bank", "--side", "line"], tmp_path, env)
    assert ex.returncode == 0, ex.stderr
    assert "-25.00" in ex.stdout and "1234.56" in ex.stdout

    today = date.today()
    statement = tmp_path / "boc-usd.xml"
    write_camt053(statement, account=BANK, currency="USD", statement_id="CLI-1", entries=[SampleEntry(10_000 + i, today, description=f"payout {i}") for i in range(300)])
    first = _run(["recon", "import", str(statement), "-i", "demo-bank"], tmp_path, env)
    assert first.returncode == 0, first.stderr
    assert "300 lines imported" in first.stdout
    assert "boc-usd.xml" in first.stderr  # the progress bar (forced on without a terminal)
    again = _run(["recon", "import", str(statement), "-i", "demo-bank"], tmp_path, env)
    assert again.returncode == 0 and "0 lines imported, 1 statement(s) already imported" in again.stdout

    broken = tmp_path / "broken.xml"
    broken.write_bytes(statement.read_bytes()[:-200])
    bad = _run(["recon", "import", str(broken), "-i", "demo-bank"], tmp_path, env)
    assert bad.returncode == 1
    assert "statement_rejected" in bad.stderr and "line" in bad.stderr

    run = _run(["recon", "run", "-i", "demo-bank"], tmp_path, env)
    assert run.returncode == 0, run.stderr
    summary = _run(["recon", "summary", "-i", "demo-bank"], tmp_path, env)
    assert summary.returncode == 0, summary.stderr
    assert "303" in summary.stdout  # 3 demo lines + 300 imported, the broken file added none

    # the bank-charges tolerance is a decimal amount in the account's currency, strictly parsed
    add = ["recon", "account-add", "-i", "demo-bank", "--bank-account", "CN00CNY1", "--ledger-account", "bank-settlement-cny"]
    over = _run([*add, "--charge-tolerance", "30.001"], tmp_path, env)
    assert over.returncode == 1 and "charge_tolerance" in over.stderr, over.stdout + over.stderr
    ok = _run([*add, "--charge-tolerance", "30.00"], tmp_path, env)
    assert ok.returncode == 0 and "reconciling CN00CNY1 CNY" in ok.stdout, ok.stdout + ok.stderr
