"""The reminder notice (督办通知单 / 催办单) for one unit: what it owes, as plain data.

A unit owes the measures that show a red or yellow light (domain/lights.py):
those it leads (牵头) and, apart, those it works on as a partner (配合). The
renderers (render/docx_notice.py) lay the notice out; nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from measures.domain.history import latest_progress
from measures.domain.lights import Light, light, rules_of
from measures.domain.queries import by_deadline
from measures.errors import BadValue, typed
from measures.i18n import _
from measures.model.status import days_overdue

if TYPE_CHECKING:
    from measures.model.records import Ledger, Measure

# The reply is due this many days after the notice, unless --reply-by says when.
REPLY_DAYS = 7
OWED = frozenset({Light.RED, Light.YELLOW})


@dataclass(frozen=True)
class Item:
    """One measure a unit owes, as the notice lists it."""

    measure: Measure
    light: Light
    days_late: int
    progress: str  # the newest progress note, or ""


@dataclass(frozen=True)
class Notice:
    unit: str
    plan: str
    as_of: date
    reply_by: date
    number: str  # 督办〔2026〕第3号, or ""
    office: str  # the office issuing it, or ""
    led: list[Item]  # as lead unit: red first, most days late first
    partnered: list[Item]  # as partner

    @property
    def items(self) -> list[Item]:
        return [*self.led, *self.partnered]


def units(ledger: Ledger) -> list[str]:
    """Every unit the ledger names, as owner or partner, in order of first mention."""
    seen: dict[str, None] = {}
    for measure in ledger.measures:
        for name in (measure.owner, *measure.partners):
            if name.strip():
                seen.setdefault(name, None)
    return list(seen)


def _owed(measures: list[Measure], today: date, ledger: Ledger) -> list[Item]:
    rules = rules_of(ledger.plan)
    items = []
    for measure in measures:
        shown = light(measure, today, rules)
        if shown in OWED:
            assert shown is not None
            items.append(
                Item(measure, shown, days_overdue(measure, today), latest_progress(measure))
            )
    # Red before yellow, then by deadline: the earliest, the most days late, first.
    return sorted(items, key=lambda item: (item.light is not Light.RED, by_deadline(item.measure)))


def check_unit(ledger: Ledger, unit: str) -> str:
    """The unit as the ledger names it; a BadValue listing the units if it names none such."""
    known = units(ledger)
    if unit in known:
        return unit
    near = [name for name in known if unit.strip() and unit.strip() in name]
    if len(near) == 1:
        return near[0]
    listed = _(", ").join(known) if known else _("(none)")
    raise BadValue(
        _("no unit is named {unit} in the ledger.").format(unit=typed(unit, 80)),
        _("The units: {units}.").format(units=listed),
    )


def build_notice(
    ledger: Ledger,
    unit: str,
    today: date,
    reply_by: date | None = None,
    number: str = "",
    office: str = "",
) -> Notice:
    """The notice to `unit` (its exact name, or a part of one name only) on `today`."""
    name = check_unit(ledger, unit)
    led = [m for m in ledger.measures if m.owner == name]
    partnered = [m for m in ledger.measures if name in m.partners and m.owner != name]
    return Notice(
        unit=name,
        plan=ledger.plan.name,
        as_of=today,
        reply_by=reply_by or today + timedelta(days=REPLY_DAYS),
        number=number,
        office=office,
        led=_owed(led, today, ledger),
        partnered=_owed(partnered, today, ledger),
    )


def units_to_notify(ledger: Ledger, today: date) -> list[str]:
    """The units that owe something (a red or yellow measure, led or partnered), in order."""
    return [unit for unit in units(ledger) if build_notice(ledger, unit, today).items]


def file_name(unit: str, suffix: str) -> str:
    """A file name for the unit's notice: its name, / and other unsafe characters as _."""
    safe = "".join("_" if char in '/\\:*?"<>|' or ord(char) < 32 else char for char in unit)
    return f"{safe.strip('. ') or '_'}.{suffix}"
