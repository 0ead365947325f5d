"""The problems `check` finds, one line each, then a count."""

from __future__ import annotations

from collections.abc import Sequence

from measures.checks import Level, Problem
from measures.render.inert import inert


def problems_text(problems: Sequence[Problem], measures: int | None) -> str:
    lines = [inert(f"{p.where}: {p.level.value}: {p.message}.") for p in problems]
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    warnings = len(problems) - errors
    if not problems:
        counted = f" in {measures} measure{'' if measures == 1 else 's'}" if measures else ""
        lines.append(f"No problems found{counted}.")
    else:
        lines.append(
            f"{errors} error{'' if errors == 1 else 's'}, "
            f"{warnings} warning{'' if warnings == 1 else 's'}."
        )
    return "\n".join(lines) + "\n"
