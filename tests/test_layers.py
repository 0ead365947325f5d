"""The package's layers, read from its imports: cli → domain / exchange / render → ledger → model.

Every import is counted: at the top of a module, inside a function, and under
TYPE_CHECKING. errors, i18n and inert, at the top of the package, are the
foundation every layer may use.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "measures"
LAYERS = ("model", "ledger", "domain", "exchange", "render", "cli")
# What each layer may not import.
FORBIDDEN = {
    "model": {"ledger", "domain", "exchange", "render", "cli"},
    "ledger": {"domain", "exchange", "render", "cli"},
    "domain": {"cli"},
    "exchange": {"cli"},
    "render": {"cli"},
}


def module_name(path: Path) -> str:
    parts = ["measures", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> list[str]:
    """Every module `path` imports, as a dotted name (a package's module where one is named)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from measures.ledger import store` imports the module measures.ledger.store.
                whole = f"{base}.{alias.name}"
                found.append(whole if whole in known else base)
    return found


def graph() -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports."""
    found = modules()
    known = set(found)
    return {
        name: {
            target
            for target in imported(name, path, known)
            if target in known and target != name and target != "measures"
        }
        for name, path in found.items()
    }


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The circles of the graph: each strongly connected part of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_layer_has_modules() -> None:
    found = {layer(name) for name in graph()}
    assert set(LAYERS) <= found


def test_no_layer_imports_a_layer_above_it() -> None:
    crossings = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in sorted(targets)
        if (own := layer(name)) is not None and layer(target) in FORBIDDEN.get(own, set())
    ]
    assert crossings == [], "\n".join(crossings)


def test_only_render_imports_rich() -> None:
    found = modules()
    known = set(found)
    outside = [
        f"{name} imports {target}"
        for name, path in found.items()
        if layer(name) != "render"
        for target in imported(name, path, known)
        if target == "rich" or target.startswith("rich.")
    ]
    assert outside == [], "\n".join(outside)


def test_no_circle_between_modules() -> None:
    found = cycles(graph())
    assert found == [], "circles:\n" + "\n".join(" ⇄ ".join(part) for part in found)


def test_the_check_sees_lazy_and_type_checking_imports() -> None:
    edges = graph()
    assert "measures.ledger.snapshot" in edges["measures.ledger.store"]  # inside a function
    assert "measures.model.records" in edges["measures.ledger.store"]  # under TYPE_CHECKING
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
