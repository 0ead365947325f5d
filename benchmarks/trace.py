"""Run one real `measures` command in this process and say how long each stage took.

    python benchmarks/trace.py -f /tmp/measures-bench/10000/ledger.toml report > /dev/null

The command runs unchanged; a few functions on its path are wrapped with a
timer (no profiler, so pure-Python code such as tomllib is not slowed down).
The figures go to stderr. A stage nested in another (a Console.print inside
print_report) is counted in both. What is left of the total is typer, glue
code and the imports done inside the command.
"""

from __future__ import annotations

import functools
import importlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

SPENT: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)

# (module, attribute path): functions that the commands look up at call time.
STAGES = (
    ("tomllib", "loads"),
    ("measures.model.records", "Ledger.model_validate"),
    ("measures.ledger.store", "read_ledger"),
    ("measures.ledger.store", "write_text"),
    ("measures.ledger.store", "update_ledger"),
    ("measures.ledger.tomledit", "apply_changes"),
    ("measures.domain.queries", "select"),
    ("measures.domain.reports", "build_report"),
    ("measures.render.records", "measure_record"),
    ("measures.render.records", "to_json"),
    ("measures.render.terminal", "measures_table"),
    ("measures.render.terminal", "overdue_table"),
    ("measures.render.terminal", "print_report"),
    ("measures.render.plainreport", "write_plain_report"),
    ("measures.render.plaintable", "blocks_text"),
    ("rich.console", "Console.print"),
    ("filelock", "FileLock.acquire"),
)


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - start
            CALLS[name] += 1

    return wrapper


def wrap(module_name: str, path: str) -> None:
    module = importlib.import_module(module_name)
    owner: Any = module
    *parents, attribute = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    if not hasattr(owner, attribute):
        return  # a stage the code no longer has (Ledger is no pydantic model now)
    name = f"{module_name}.{path}"
    current = owner.__dict__.get(attribute) if isinstance(owner, type) else None
    if isinstance(current, classmethod):
        setattr(owner, attribute, classmethod(timed(name, current.__func__)))
    else:
        setattr(owner, attribute, timed(name, getattr(owner, attribute)))


def main() -> None:
    args = sys.argv[1:]
    start = time.perf_counter()
    from measures.cli import run

    imported = time.perf_counter() - start
    for module_name, path in STAGES:
        wrap(module_name, path)
    sys.argv = ["measures", *args]
    code = 0
    begun = time.perf_counter()
    try:
        run()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    total = time.perf_counter() - begun
    report = [f"import measures.cli (typer, pydantic, model): {imported * 1000:9.1f} ms"]
    for name, seconds in sorted(SPENT.items(), key=lambda item: -item[1]):
        report.append(f"{name:<45} {seconds * 1000:9.1f} ms  ({CALLS[name]} calls)")
    report.append(f"{'the command, in all (after the import)':<45} {total * 1000:9.1f} ms")
    sys.stderr.write("\n".join(report) + "\n")
    sys.exit(code)


if __name__ == "__main__":
    main()
