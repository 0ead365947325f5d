"""Time the write path's edit of the text (`apply_edit`) for a `done`, in one process.

    python benchmarks/apply_edit.py data/measures.toml
    python benchmarks/apply_edit.py /tmp/m10k.toml --starts

The first call is what a command pays (it imports what the edit needs: tomlkit,
before blockedit); the median of the repeats is the edit alone. `--starts` hands
over where the records begin, as a write on bytes with a snapshot does; without
it the text is scanned for its headers. It prints whether tomlkit was imported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--starts", action="store_true", help="give the record starts")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)

    from measures.domain.changes import mark_done
    from measures.model.headers import record_starts
    from measures.model.parse import parse_ledger
    from measures.model.records import OPEN

    text = args.ledger.read_text(encoding="utf-8")
    ledger = parse_ledger(text, str(args.ledger))
    target = next(m for m in ledger.measures if m.status in OPEN)
    at = datetime(2026, 7, 1, 9, 30).astimezone()
    new = ledger.replace(mark_done(target, date(2026, 7, 1), "bench", at, "上线"))
    starts = record_starts(text) if args.starts else None

    from measures.ledger.tomledit import apply_edit

    began = time.perf_counter()
    apply_edit(text, ledger, new, starts)
    first = time.perf_counter() - began
    runs = []
    for _ in range(args.runs):
        began = time.perf_counter()
        apply_edit(text, ledger, new, starts)
        runs.append(time.perf_counter() - began)
    print(
        f"{args.ledger.name} ({'starts given' if args.starts else 'scanned'}): "
        f"first {first * 1000:.2f} ms, then median {statistics.median(runs) * 1000:.2f} ms; "
        f"tomlkit imported: {'tomlkit' in sys.modules}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
