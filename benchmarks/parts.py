"""Where a command's time goes: each stage of list, report and done, timed in one process.

    python benchmarks/parts.py /tmp/measures-bench/10000/ledger.toml
    python benchmarks/parts.py --imports      # start-up: each import in a process of its own

Stages run in the order the commands run them, so an import is charged to the
first stage that needs it (typer, then pydantic through the model, and so on).
Whole-process figures come from run.py; this splits them. Nothing is written to
the ledger given: `done` works on a temporary copy.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROWS: list[tuple[str, float, float]] = []  # stage, milliseconds, resident MiB after it

# What a command imports, cumulatively, each timed as a whole process.
STARTUP = (
    ("pass", "pass"),
    ("import typer", "import typer"),
    ("import pydantic (top level, lazy)", "import pydantic"),
    ("import pydantic.BaseModel and friends", "from pydantic import BaseModel, Field, TypeAdapter"),
    ("import measures.model.records", "import measures.model.records"),
    ("import measures.cli (typer + model)", "import measures.cli"),
    ("import rich.console + rich.table", "import rich.console, rich.table"),
    ("import tomlkit", "import tomlkit"),
    ("import filelock", "import filelock"),
    (
        "import measures.cli + rich (what `list` imports)",
        "import measures.cli, rich.console, rich.table",
    ),
    (
        "`measures list` on the shipped ledger, in process",
        "import sys; sys.argv = ['measures', '-f', {shipped!r}, 'list']; "
        "from measures.launcher import main; main()",
    ),
)


def stage(name: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    ROWS.append((name, (time.perf_counter() - start) * 1000, resident_mib()))
    return result


def resident_mib() -> float:
    """The process's resident memory now (Linux), in MiB; 0 where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path, nargs="?")
    parser.add_argument(
        "--imports", action="store_true", help="time start-up imports, each in a new process"
    )
    parser.add_argument("--runs", type=int, default=15, help="with --imports: runs per line")
    parser.add_argument("--width", type=int, default=120, help="terminal width for tables")
    parser.add_argument("--skip-table", action="store_true", help="skip the list table (slow)")
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="turn the cyclic garbage collector off first, to see what its passes cost",
    )
    args = parser.parse_args(argv)
    if args.imports:
        return startup(args.runs)
    if args.ledger is None:
        parser.error("give a LEDGER, or --imports")
    if args.no_gc:
        import gc

        gc.disable()
    today = date.today()

    stage("import typer", lambda: __import__("typer"))
    stage("import pydantic", lambda: __import__("pydantic"))
    stage(
        "import measures.model.records (builds the validators)",
        lambda: __import__("measures.model.records"),
    )
    stage("import measures.cli (registers commands)", lambda: __import__("measures.cli"))

    import typer.main

    from measures.cli import every_command

    app = every_command()
    stage("typer: build the click command (per call)", lambda: typer.main.get_command(app))

    from measures.model import validate, wellformed

    raw = stage("read the file", args.ledger.read_bytes)
    text = stage("decode UTF-8", lambda: raw.decode("utf-8"))
    import tomllib

    data = stage("tomllib.loads", lambda: tomllib.loads(text))
    import toml_rs

    stage("toml_rs.loads (the compiled parser)", lambda: toml_rs.loads(text, toml_version="1.0.0"))
    stage("validate.ledger (pydantic)", lambda: validate.ledger(data))
    ledger = stage("wellformed.ledger (without pydantic)", lambda: wellformed.ledger(data))
    assert ledger is not None

    from measures.domain.queries import Filter, select, with_lateness

    chosen = stage(
        "list: select and sort",
        lambda: sorted(select(ledger.measures, Filter(), today), key=lambda m: m.id),
    )
    from measures.render.records import measure_record, to_json

    records = stage(
        "json: measure_record (model_dump)", lambda: [measure_record(m, today) for m in chosen]
    )
    stage("json: json.dumps", lambda: to_json(records))

    stage("import rich (console, table, text)", _import_rich)
    from measures.render.terminal import make_console, measures_table, print_report

    def console() -> Any:
        os.environ["COLUMNS"] = str(args.width)
        return make_console(io.StringIO())

    rows = with_lateness(chosen, today)
    table = stage("table: build the rich Table", lambda: measures_table(rows, today))
    if not args.skip_table:
        stage("table: render it (rich layout)", lambda: console().print(table))

    from measures.domain.reports import build_report

    report = stage("report: build_report", lambda: build_report(ledger, today))
    stage("report: render (rich)", lambda: print_report(console(), report))

    _done_stages(args.ledger, ledger, text)

    width = max(len(name) for name, _, _ in ROWS)
    print(f"{'stage':<{width}}  {'ms':>10}  {'RSS after, MiB':>14}")
    for name, ms, mib in ROWS:
        print(f"{name:<{width}}  {ms:>10.1f}  {mib:>14.1f}")
    return 0


def startup(runs: int) -> int:
    """Median wall time of `python -I -c CODE` for each line of STARTUP."""
    import statistics
    import subprocess

    shipped = str(Path(__file__).resolve().parent.parent / "data" / "measures.toml")
    env = {**os.environ, "COLUMNS": "120"}
    base = None
    for name, code in STARTUP:
        argv = [sys.executable, "-I", "-c", code.format(shipped=shipped)]
        times = []
        for _ in range(runs + 1):  # the first run warms the caches and is dropped
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times[1:])
        base = median if base is None else base
        print(f"{name:<52} {median:7.1f} ms  (+{median - base:6.1f} over python -I -c pass)")
    return 0


def _import_rich() -> None:
    import rich.console
    import rich.table
    import rich.text  # noqa: F401


def _done_stages(path: Path, ledger: Any, text: str) -> None:
    from measures.domain.changes import mark_done
    from measures.model.records import OPEN

    target = next(m for m in ledger.measures if m.status in OPEN)
    at = datetime.now().astimezone().replace(microsecond=0)
    stage("import filelock", lambda: __import__("filelock"))
    stage("import tomlkit", lambda: __import__("tomlkit"))
    new = stage(
        "done: mark_done + Ledger.replace",
        lambda: ledger.replace(mark_done(target, date.today(), "bench", at)),
    )
    from measures.ledger.tomledit import apply_changes

    stage("done: new != old (compare ledgers)", lambda: new != ledger)
    edited = stage(
        "done: apply_changes (block scan + tomlkit)", lambda: apply_changes(text, ledger, new)
    )
    from measures.ledger.store import write_text

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "measures.toml"
        shutil.copyfile(path, copy)
        from filelock import FileLock

        def lock_and_release() -> None:
            lock = FileLock(copy.with_name(".measures.toml.lock"))
            lock.acquire()
            lock.release()

        stage("done: take and release the file lock", lock_and_release)
        stage("done: write_text (temp file, fsync, rename)", lambda: write_text(copy, edited))


if __name__ == "__main__":
    sys.exit(main())
