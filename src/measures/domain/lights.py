"""Traffic lights (红黄绿灯): how a measure stands, derived each time, never stored.

- red (红灯): overdue, open past its deadline;
- yellow (黄灯): open and due within the plan's `yellow_days` (default 14), or
  with nothing logged for `stale_days` (default 30);
- green (绿灯): open and on track, or complete;
- none: dropped.

An ongoing measure (no deadline, `长期坚持`) is never red nor due soon: only a
silence of `stale_days` makes it yellow. "Logged" is any entry of the unit's
work (add, start, note, block, done, extend, reopen...), not a `set`, which is
the office correcting a field. A measure with no such entry (written by hand)
counts from the plan's `issued`, and without it is never stale. Everything is
measured against `today` (the `--as-of` day), as lateness is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from measures.i18n import language
from measures.model.status import COMPLETE, OPEN, Action, is_overdue

if TYPE_CHECKING:
    from measures.model.records import Measure, Plan

YELLOW_DAYS = 14
STALE_DAYS = 30


class Light(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


CHINESE_LIGHT = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}
# What `--light` takes besides the values: the colours' characters and the office's words.
_SPELLINGS = {
    **{light.value: light for light in Light},
    **{word: light for light, word in CHINESE_LIGHT.items()},
    "红": Light.RED,
    "黄": Light.YELLOW,
    "绿": Light.GREEN,
}


@dataclass(frozen=True)
class Rules:
    """The plan's thresholds of a yellow light."""

    yellow_days: int = YELLOW_DAYS
    stale_days: int = STALE_DAYS
    issued: date | None = None  # where silence counts from for a measure with no log


def rules_of(plan: Plan) -> Rules:
    """The plan's `[plan] yellow_days` and `stale_days`, or the defaults."""
    yellow, stale = plan.yellow_days, plan.stale_days
    return Rules(
        yellow_days=YELLOW_DAYS if yellow is None else yellow,
        stale_days=STALE_DAYS if stale is None else stale,
        issued=plan.issued,
    )


def last_logged(measure: Measure) -> date | None:
    """The day of the newest entry of the unit's work (any but `set`), or None."""
    for entry in reversed(measure.log):
        if entry.action is not Action.SET:
            return entry.at.date()
    return None


def is_stale(measure: Measure, today: date, rules: Rules) -> bool:
    """Open, and nothing logged for `stale_days` days or more."""
    if measure.status not in OPEN:
        return False
    since = last_logged(measure) or rules.issued
    return since is not None and (today - since).days >= rules.stale_days


def light(measure: Measure, today: date, rules: Rules = Rules()) -> Light | None:
    """The measure's light on `today`; None for a dropped measure."""
    status = measure.status
    if status in COMPLETE:
        return Light.GREEN
    if status not in OPEN:
        return None
    if is_overdue(measure, today):
        return Light.RED
    deadline = measure.deadline
    if deadline is not None and (deadline - today).days <= rules.yellow_days:
        return Light.YELLOW
    if is_stale(measure, today, rules):
        return Light.YELLOW
    return Light.GREEN


def light_counts(measures: Iterable[Measure], today: date, rules: Rules) -> dict[Light, int]:
    """How many measures show each light (dropped ones show none)."""
    counts = dict.fromkeys(Light, 0)
    for measure in measures:
        shown = light(measure, today, rules)
        if shown is not None:
            counts[shown] += 1
    return counts


def parse_light(text: str) -> Light | None:
    """The light `text` names: red, 红, 红灯 (any case, spaces trimmed); None if none."""
    return _SPELLINGS.get(text.strip().casefold())


def light_label(shown: Light | None) -> str:
    """`red`, or in Chinese 红灯; "" for no light. Always a word: colour is never the only sign."""
    if shown is None:
        return ""
    return CHINESE_LIGHT[shown] if language() == "zh" else shown.value


def light_headings() -> list[str]:
    """The headings of a count of each light: Red, Yellow, Green; 红灯, 黄灯, 绿灯."""
    return [light_label(shown).capitalize() for shown in Light]


# The colour each light is drawn in (rich style names; HTML and Word take their own).
LIGHT_STYLE = {Light.RED: "bold red", Light.YELLOW: "yellow", Light.GREEN: "green"}
