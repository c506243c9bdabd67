"""The ``xborder`` command: the demo on a fresh SQLite file, and the chain
verification exit status."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys


def _run(args, cwd, env):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


def test_demo_sets_up_a_usable_institution_and_verify_names_tampering(tmp_path):
    env = {**os.environ, "XBORDER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}", "XBORDER_DATA_DIR": str(tmp_path / "keys"), "COLUMNS": "200"}
    env["PYTHONPATH"] = os.getcwd() + os.pathsep + env.get("PYTHONPATH", "")
    out = _run(["demo", "--no-serve"], tmp_path, env)
    assert out.returncode == 0, out.stderr
    assert re.search(r"xb_[0-9a-f]{12}_\S+", out.stdout), out.stdout
    assert "/v1/receipts?customer_id=" in out.stdout
    assert "SME portal (merchant M001): user shop" in out.stdout
    db = sqlite3.connect(tmp_path / "demo.db")  # the portal's user is bound to the demo merchant
    assert db.execute("SELECT role, merchant_ref FROM users WHERE username = 'shop'").fetchall() == [("sme", "M001")]
    db.close()
    again = _run(["demo", "--no-serve"], tmp_path, env)  # a second run reuses the data, issues a new key
    assert again.returncode == 0, again.stderr
    ok = _run(["ledger", "verify"], tmp_path, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "FAILED" not in ok.stdout
    db = sqlite3.connect(tmp_path / "demo.db")
    db.execute("DROP TRIGGER postings_immutable_update")
    db.execute("UPDATE postings SET amount = amount + 1 WHERE rowid = (SELECT min(rowid) FROM postings)")
    db.commit()
    db.close()
    bad = _run(["ledger", "verify", "--no-balances"], tmp_path, env)
    assert bad.returncode == 1
    assert "FAILED at #1" in bad.stdout


def test_the_served_app_is_out_of_the_garbage_collectors_scans(tmp_path):
    """``api.asgi`` (what uvicorn workers import) freezes what it built: the
    objects that live as long as the process are no longer walked by every
    full collection (140-166 ms pauses per worker before, #14)."""
    env = {**os.environ, "XBORDER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", "XBORDER_DATA_DIR": str(tmp_path / "keys")}
    env["PYTHONPATH"] = os.getcwd() + os.pathsep + env.get("PYTHONPATH", "")
    probe = "import gc, api.asgi; print(gc.get_freeze_count(), len(gc.get_objects()), len(api.asgi.app.routes))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    frozen, tracked, routes = map(int, out.stdout.split())
    assert routes > 10  # the real app was built
    assert frozen > 50_000  # the app's objects are in the permanent generation
    assert tracked < frozen // 20  # what a collection still walks is a small remainder


def test_serve_and_demo_say_when_the_port_is_taken(tmp_path):
    import socket

    env = {**os.environ, "XBORDER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", "XBORDER_DATA_DIR": str(tmp_path / "keys"), "COLUMNS": "200"}
    env["PYTHONPATH"] = os.getcwd() + os.pathsep + env.get("PYTHONPATH", "")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        out = _run(["demo", "--port", port], tmp_path, env)
        assert out.returncode == 1, out.stdout + out.stderr
        assert f"cannot serve on 127.0.0.1:{port}" in out.stdout and "--port N" in out.stdout
        assert not (tmp_path / "x.db").exists()  # the demo stopped before setting anything up
        assert _run(["demo", "--no-serve"], tmp_path, env).returncode == 0
        out = _run(["serve", "--port", port], tmp_path, env)
        assert out.returncode == 1, out.stdout + out.stderr
        assert f"cannot serve on 127.0.0.1:{port}" in out.stdout
