"""The README's event catalogue names exactly the event types the code
emits.  The types are read from the source: the literal (or the literals of
a conditional, or of a dict of statuses) passed to ``emit_event`` /
``emit_events`` or queued as ``events.append(("type", ...))``; a customer
change names its type as ``_change``'s fifth argument, a lifecycle notice as
``_notify``'s third (``financing.notices``); a loan's status change
emits ``loan.<new status>`` for each status ``_transition`` sets."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("ledger", "settlement", "financing", "recon", "api")
TYPE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _literals(node: ast.AST | None) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and TYPE.match(node.value):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literals(node.body) | _literals(node.orelse)
    return set()


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _from_module(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    variables: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        # event = {"credited": "receipt.credited", ...}[status]
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Dict):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    variables[target.id] = set().union(*(_literals(v) for v in node.value.value.values))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name == "emit_event" and len(node.args) >= 3:
            arg = node.args[2]
            found |= _literals(arg)
            if isinstance(arg, ast.Name):
                found |= variables.get(arg.id, set())
            if isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant) and arg.values[0].value == "loan.":
                found |= {f"loan.{s}" for s in _loan_statuses(tree)}
        elif name == "append" and node.args and isinstance(node.args[0], ast.Tuple) and node.args[0].elts:
            first = node.args[0].elts[0]
            found |= _literals(first) | (variables.get(first.id, set()) if isinstance(first, ast.Name) else set())
        elif name == "_change" and len(node.args) >= 5:
            found |= _literals(node.args[4])
        elif name == "_notify" and len(node.args) >= 3:  # financing.notices: a notice is its event
            found |= _literals(node.args[2])
    return found


def _loan_statuses(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) == "_transition" and len(node.args) >= 5 and isinstance(node.args[4], ast.Dict):
            for k, v in zip(node.args[4].keys, node.args[4].values, strict=True):
                if isinstance(k, ast.Constant) and k.value == "status" and isinstance(v, ast.Constant):
                    out.add(v.value)
    return out


def emitted_types() -> set[str]:
    found: set[str] = set()
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            text = path.read_text()
            if "emit_event" in text:
                found |= _from_module(ast.parse(text))
    return found


def catalogue_types() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Event catalogue", 1)[1].split("\n### ", 1)[0]
    out: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            out |= set(re.findall(r"`([a-z_]+\.[a-z_]+)`", first_cell))
    return out


def test_the_readme_catalogues_every_event_type_the_code_emits():
    emitted, documented = emitted_types(), catalogue_types()
    assert len(emitted) >= 24, sorted(emitted)  # the extraction still finds them
    assert emitted - documented == set(), f"emitted but not in README's event catalogue: {sorted(emitted - documented)}"
    assert documented - emitted == set(), f"in README's event catalogue but never emitted: {sorted(documented - emitted)}"
