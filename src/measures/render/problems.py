"""The problems `check` finds, one line each, then a count."""

from __future__ import annotations

from collections.abc import Sequence

from measures.domain.checks import Level, Problem
from measures.i18n import N_, _, ngettext
from measures.inert import inert

LEVELS = {Level.ERROR: N_("error"), Level.WARNING: N_("warning")}


def problems_text(problems: Sequence[Problem], measures: int | None) -> str:
    lines = [
        inert(
            _("{where}: {level}: {message}.").format(
                where=p.where, level=_(LEVELS[p.level]), message=p.message
            )
        )
        for p in problems
    ]
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    warnings = len(problems) - errors
    if not problems and measures:
        lines.append(
            ngettext(
                "No problems found in {count} measure.",
                "No problems found in {count} measures.",
                measures,
            ).format(count=measures)
        )
    elif not problems:
        lines.append(_("No problems found."))
    else:
        counted = _("{errors}, {warnings}.").format(
            errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
            warnings=ngettext("{count} warning", "{count} warnings", warnings).format(
                count=warnings
            ),
        )
        lines.append(counted)
    return "\n".join(lines) + "\n"
