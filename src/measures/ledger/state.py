"""Where the tool keeps its own files for a ledger: the hidden folder beside it."""

from __future__ import annotations

from pathlib import Path

STATE_FOLDER = ".measures"


def state_file(ledger: Path, kind: str) -> Path:
    """Where the tool keeps its own file of `kind` (lock, undo) for `ledger`."""
    return ledger.parent / STATE_FOLDER / f"{ledger.name}.{kind}"
