"""The console's message catalog: collect every message, update the Chinese
catalog (new messages enter untranslated, gone ones leave), check it.

    python scripts/console_i18n.py update   # after changing a template or a console message
    python scripts/console_i18n.py check    # every message translated (also a test)

Messages come from the templates (``_("...")``, Babel's Jinja2 extractor),
the console's Python (``_t(request, "...")``, ``t("...")``, ``N_("...")``),
the report columns (``Column(key, "label")``) and the reports' titles,
parameter names and help texts.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.console import TEMPLATES_DIR, i18n  # noqa: E402 - after the path set-up

PY_SOURCES: dict[Path, dict[str, Any]] = {
    ROOT / "api" / "routers" / "console.py": {"_t": (2,), "t": None, "N_": None},
    ROOT / "api" / "routers" / "console_queue.py": {"_t": (2,), "t": None, "N_": None},
    ROOT / "api" / "console" / "i18n.py": {"N_": None},
    ROOT / "api" / "routers" / "portal.py": {"_t": (2,), "t": None, "N_": None},
    ROOT / "api" / "console" / "names.py": {"N_": None},
    ROOT / "api" / "console" / "reportview.py": {"N_": None},
    ROOT / "recon" / "reports.py": {"Column": (2,), "_money": (2,), "N_": None},
    ROOT / "recon" / "summary_report.py": {"Column": (2,), "_money": (2,)},
    ROOT / "recon" / "reporting.py": {"Column": (2,)},
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]")


def collect() -> dict[str, str]:
    """Every message of the console -> where it was found first."""
    found: dict[str, str] = {}

    def add(msg: object, where: str) -> None:
        if isinstance(msg, str) and msg and msg not in found:
            found[msg] = where

    for path in sorted(TEMPLATES_DIR.glob("*.html")):
        for lineno, msg, _comments, _ctx in extract_from_file("jinja2.ext:babel_extract", str(path), keywords={"_": None}):
            add(msg, f"{path.name}:{lineno}")
    for path, keywords in PY_SOURCES.items():
        for lineno, msg, _comments, _ctx in extract_from_file("python", str(path), keywords=keywords):
            add(msg, f"{path.relative_to(ROOT)}:{lineno}")
    from recon.reports import REPORTS

    for title, where in error_titles().items():
        add(title, where)
    for spec in REPORTS.values():
        add(spec.title, f"report {spec.name}")
        for p in spec.params:
            add(p.name.replace("_", " "), f"report {spec.name} parameter")
            add(p.help, f"report {spec.name} parameter {p.name}")
    return found


def error_titles() -> dict[str, str]:
    """The title of every domain error (shown as the headline of a refusal
    on the console's and the portal's pages) -> its class."""
    import importlib
    import pkgutil

    from ledger.errors import LedgerError

    for package in ("ledger", "settlement", "financing", "recon", "api"):  # every module: every error class defined
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
            if info.name != "api.asgi":  # builds an app from the environment's settings at import
                importlib.import_module(info.name)

    out: dict[str, str] = {}
    todo = list(LedgerError.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        title = cls.__dict__.get("title")
        if isinstance(title, str) and title and title not in out:
            out[title] = f"error {cls.__module__}.{cls.__qualname__}"
    from api.sod import FOUR_EYES_TITLES

    for code, title in FOUR_EYES_TITLES.items():
        out.setdefault(title, f"error {code}")
    return dict(sorted(out.items()))


def load() -> Catalog:
    with i18n.CATALOG.open("rb") as fh:
        return read_po(fh, locale="zh_Hans_CN")


def update() -> None:
    msgs = collect()
    old = load() if i18n.CATALOG.exists() else Catalog(locale="zh_Hans_CN")
    cat = Catalog(locale="zh_Hans_CN", project="xborder console", charset="utf-8", fuzzy=False)
    for msg, where in sorted(msgs.items(), key=lambda kv: kv[1]):
        prev = old.get(msg)
        cat.add(msg, prev.string if prev is not None else "", locations=[(where.split(":")[0], 0)], flags=("python-format",) if PLACEHOLDER.search(msg) else ())
    i18n.CATALOG.parent.mkdir(parents=True, exist_ok=True)
    with i18n.CATALOG.open("wb") as fh:
        write_po(fh, cat, width=0, omit_header=False, sort_output=False, include_previous=False)
    i18n.translations.cache_clear()


def problems() -> list[str]:
    """Messages without a Chinese translation, or whose translation loses a placeholder."""
    cat = load()
    out = []
    for msg, where in collect().items():
        m = cat.get(msg)
        if m is None or not m.string:
            out.append(f"untranslated ({where}): {msg!r}")
        elif sorted(PLACEHOLDER.findall(msg)) != sorted(PLACEHOLDER.findall(str(m.string))):
            out.append(f"placeholders differ ({where}): {msg!r} -> {m.string!r}")
    return out


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        update()
    found = problems()
    for p in found:
        print(p)
    print(f"{len(collect())} messages, {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
