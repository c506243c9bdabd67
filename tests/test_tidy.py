"""The shape of the code, checked like any other rule (no database needed).

* **Layering**: ``ledger <- settlement <- financing <- recon <- api``; a
  package imports only from itself and the packages to its left.
  ``migrations`` imports only table definitions (``*.schema``,
  ``*.tables*``) and the ledger's plumbing (``ledger.config``, ``ledger.db``,
  ``ledger.types``).  Every import counts, also one inside a function; only
  imports under ``if TYPE_CHECKING:`` are left out (they never run).
* **No import cycles** between the project's modules.
* **Function length ratchet**: no function of the project's packages is
  longer than :data:`MAX_FUNCTION_LINES` lines, except those listed in
  ``tests/tidy_baseline.json``, which may only shrink (the list is rewritten
  smaller with ``python -m tests.test_tidy --shrink``; it is never grown).
* **mypy ratchet**: the modules excused from type checking in
  ``pyproject.toml`` are a subset of the baseline's (the list only shrinks).
"""

from __future__ import annotations

import ast
import json
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).resolve().parent / "tidy_baseline.json"

#: the layers, lowest first
LAYERS = ("ledger", "settlement", "financing", "recon", "api")
PACKAGES = (*LAYERS, "migrations")
#: what migrations may import besides table definitions
MIGRATION_PLUMBING = frozenset({"ledger.config", "ledger.db", "ledger.types", "ledger.schema"})
MAX_FUNCTION_LINES = 70


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "settlement.receipts"
    target: str  # the imported project module, e.g. "ledger.posting"
    line: int


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_files() -> Iterator[Path]:
    for pkg in PACKAGES:
        yield from sorted((ROOT / pkg).rglob("*.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk_runtime(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            stack.append(child)


_KNOWN: set[str] | None = None


def _known_modules() -> set[str]:
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = {_module_name(p) for p in _source_files()}
    return _KNOWN


def _resolve(module: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
    known = _known_modules()
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
        return [n for n in names if n.split(".")[0] in PACKAGES]
    base_parts = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base_parts = base_parts[: len(base_parts) - (node.level - 1)] if node.level > 1 else base_parts
        base = ".".join([*base_parts, node.module] if node.module else base_parts)
    else:
        base = node.module or ""
    if base.split(".")[0] not in PACKAGES:
        return []
    out = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        out.append(sub if sub in known else base)
    return out


def project_imports() -> list[Import]:
    out = []
    for path in _source_files():
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _walk_runtime(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _resolve(module, path.name == "__init__.py", node):
                    out.append(Import(module, target, node.lineno))
    return out


def layer_violations(imports: list[Import]) -> list[str]:
    bad = []
    for imp in imports:
        src, dst = imp.module.split(".")[0], imp.target.split(".")[0]
        if src == "migrations":
            last = imp.target.split(".")[-1]
            ok = dst == "migrations" or imp.target in MIGRATION_PLUMBING or last == "schema" or last.startswith("tables")
        else:
            ok = dst != "migrations" and LAYERS.index(dst) <= LAYERS.index(src) if src in LAYERS and dst in LAYERS else dst == src
            if src in LAYERS and dst == "migrations":
                ok = False
        if not ok:
            bad.append(f"{imp.module}:{imp.line} imports {imp.target}")
    return sorted(set(bad))


def import_cycles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.target != imp.module and not imp.module.startswith(imp.target + "."):  # a package's own __init__ is not a cycle
            graph.setdefault(imp.module, set()).add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                result.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(result)


def function_lengths() -> dict[str, int]:
    """``module:Qual.name`` -> lines (decorators excluded) of every function."""
    out: dict[str, int] = {}
    for path in _source_files():
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

        def walk(node: ast.AST, prefix: str) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    name = f"{prefix}{child.name}"
                    key = f"{module}:{name}"
                    length = (child.end_lineno or child.lineno) - child.lineno + 1
                    out[key] = max(out.get(key, 0), length)
                    walk(child, name + ".")
                elif isinstance(child, ast.ClassDef):
                    walk(child, f"{prefix}{child.name}.")
                else:
                    walk(child, prefix)

        walk(tree, "")
    return out


def _baseline() -> dict[str, object]:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def long_function_problems(lengths: dict[str, int], allowed: dict[str, int]) -> list[str]:
    problems = []
    for key, n in sorted(lengths.items()):
        if n <= MAX_FUNCTION_LINES:
            continue
        limit = allowed.get(key)
        if limit is None:
            problems.append(f"{key} has {n} lines (new functions: at most {MAX_FUNCTION_LINES})")
        elif n > limit:
            problems.append(f"{key} grew to {n} lines (the ratchet allows {limit}; it may only shrink)")
    return problems


def mypy_excused() -> set[str]:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    out: set[str] = set()
    for override in cfg.get("tool", {}).get("mypy", {}).get("overrides", []):
        if override.get("ignore_errors"):
            mods = override["module"]
            out |= set([mods] if isinstance(mods, str) else mods)
    return out


# -- the tests -----------------------------------------------------------------------------


def test_the_import_walker_sees_the_project():
    imports = project_imports()
    assert len({i.module for i in imports}) > 60, "the walker found (almost) no module: is ROOT right?"
    assert any(i.module.startswith("api.") and i.target.startswith("ledger.") for i in imports)
    # and it resolves relative imports: settlement.receipts imports settlement.config relatively
    assert Import("settlement.receipts", "settlement.config", 0).target in {i.target for i in imports if i.module == "settlement.receipts"}


def test_layer_rules_refuse_an_upward_import():
    fake = [Import("ledger.posting", "settlement.config", 1), Import("settlement.receipts", "financing.loans", 2),
            Import("migrations", "api.app", 3), Import("migrations", "api.schema", 4), Import("recon.service", "api.bootstrap", 5)]
    assert layer_violations(fake) == ["ledger.posting:1 imports settlement.config", "migrations:3 imports api.app", "recon.service:5 imports api.bootstrap",
                                      "settlement.receipts:2 imports financing.loans"]


def test_imports_follow_the_layers():
    bad = layer_violations(project_imports())
    assert not bad, "imports against the layering (ledger <- settlement <- financing <- recon <- api):\n" + "\n".join(bad)


def test_no_import_cycles():
    assert import_cycles([Import("a.x", "a.y", 1), Import("a.y", "a.x", 2), Import("a.y", "a.z", 3)]) == [["a.x", "a.y"]]
    cycles = import_cycles(project_imports())
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_function_length_ratchet():
    allowed = {k: int(v) for k, v in dict(_baseline()["long_functions"]).items()}  # type: ignore[call-overload]
    problems = long_function_problems(function_lengths(), allowed)
    assert not problems, "\n".join(problems)
    assert long_function_problems({"m:f": MAX_FUNCTION_LINES + 1}, {}) and long_function_problems({"m:f": 90}, {"m:f": 80})


def test_mypy_excused_modules_only_shrink():
    baseline = set(_baseline()["mypy_excused"])  # type: ignore[arg-type]
    grown = sorted(mypy_excused() - baseline)
    assert not grown, f"modules newly excused from mypy (type them instead): {grown}"


def shrink() -> None:
    """Rewrite the baseline with today's figures where they are smaller."""
    data = _baseline()
    lengths = function_lengths()
    old = dict(data["long_functions"])  # type: ignore[call-overload]
    data["long_functions"] = {k: min(int(v), lengths[k]) for k, v in sorted(old.items()) if lengths.get(k, 0) > MAX_FUNCTION_LINES}
    data["mypy_excused"] = sorted(set(data["mypy_excused"]) & mypy_excused())  # type: ignore[arg-type]
    BASELINE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--shrink"]:
        shrink()
    elif sys.argv[1:] == ["--init"]:  # the first baseline (never used to grow it)
        lengths = function_lengths()
        BASELINE.write_text(json.dumps({"long_functions": {k: v for k, v in sorted(lengths.items()) if v > MAX_FUNCTION_LINES},
                                        "mypy_excused": sorted(mypy_excused())}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    else:
        print(__doc__)
