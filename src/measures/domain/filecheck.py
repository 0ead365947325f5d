"""`measures check` of plan files: each file's problems (`checks.py`), and for a file that
reads, its unit names (`units.toml`) and its evidence files (`evidence.py`).

The full command line and the quick path both run it, so a check says the same
whichever carried it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from measures.domain.checks import Problem, check_ledger, has_error, unit_problems
from measures.domain.evidence import evidence_problems
from measures.errors import InvalidLedger
from measures.i18n import _
from measures.ledger.store import read_ledger

if TYPE_CHECKING:
    from pathlib import Path

    from measures.domain.units import Units


def check_files(
    paths: Sequence[Path], units: Units | None = None
) -> tuple[list[Problem], int | None]:
    """`measures check` of the plan files at `paths`: every problem of each, in order, and
    how many measures they hold (None once one has a problem). A file in error is checked
    as it stands; one that reads is also checked against `units` (its names, where defined)
    and its evidence files. InvalidLedger for a file that cannot be read at all."""
    problems: list[Problem] = []
    measures: int | None = 0
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise InvalidLedger(
                _("{path}: cannot be read ({reason}).").format(path=path, reason=error.strerror)
            ) from None
        found = check_ledger(raw, str(path))
        if not has_error(found):
            ledger = read_ledger(path).ledger
            if measures is not None:
                measures += len(ledger.measures)
            if units is not None and units.defined:
                found += unit_problems(ledger.measures, units, str(path))
            found += evidence_problems(ledger, path.parent, str(path))
        problems += found
        if found:
            measures = None
    return problems, measures
