"""The reminder notice (督办通知单 / 催办单) for one unit: what it owes, as plain data.

A unit owes the measures that show a red or yellow light (domain/lights.py):
those it leads (牵头) and, apart, those it works on as a partner (配合). In a
workspace of several plans the notice covers every plan, each measure by its
own plan's thresholds and named `KEY:ID`; with `units.toml`, a unit is found by
any of its names and shown by its canonical one (domain/units.py), the plans'
measures being read under those names. The renderers (render/docx_notice.py)
lay the notice out; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from measures.domain.history import latest_progress
from measures.domain.labels import INFERRED
from measures.domain.lights import Light, Rules, light, rules_of
from measures.domain.queries import by_deadline
from measures.errors import BadValue, typed
from measures.i18n import _
from measures.model.status import days_overdue

if TYPE_CHECKING:
    from measures.domain.units import Units
    from measures.model.records import Ledger, Measure

# The reply is due this many days after the notice, unless --reply-by says when.
REPLY_DAYS = 7
OWED = frozenset({Light.RED, Light.YELLOW})

# The plans a notice looks through: each plan's key beside its ledger.
Plans = Sequence[tuple[str, "Ledger"]]


@dataclass(frozen=True)
class Item:
    """One measure a unit owes, as the notice lists it."""

    measure: Measure
    light: Light
    days_late: int
    progress: str  # the newest progress note, or ""
    plan: str = ""  # its plan's key, when the notice covers several plans

    @property
    def ident(self) -> str:
        """`3`, or `yshj:3` when the notice covers several plans."""
        return f"{self.plan}:{self.measure.id}" if self.plan else str(self.measure.id)

    @property
    def inferred(self) -> bool:
        """Whether the ledger infers the measure's lead unit (no source names it)."""
        return self.measure.owner_basis == INFERRED


@dataclass(frozen=True)
class Notice:
    unit: str
    plans: tuple[str, ...]  # the names of the plans it covers, in file order
    as_of: date
    reply_by: date
    number: str  # 督办〔2026〕第3号, or ""
    office: str  # the office issuing it, or ""
    led: list[Item]  # as lead unit: red first, most days late first
    partnered: list[Item]  # as partner

    @property
    def items(self) -> list[Item]:
        return [*self.led, *self.partnered]

    @property
    def plan(self) -> str:
        """The plan's name (the first plan's, over several)."""
        return self.plans[0] if self.plans else ""


def _plans(source: Ledger | Plans) -> Plans:
    from measures.model.records import Ledger

    return [("", source)] if isinstance(source, Ledger) else source


def units(source: Ledger | Plans) -> list[str]:
    """Every unit the plans name, as owner or partner, in order of first mention."""
    seen: dict[str, None] = {}
    for _key, ledger in _plans(source):
        for measure in ledger.measures:
            for name in (measure.owner, *measure.partners):
                if name.strip():
                    seen.setdefault(name, None)
    return list(seen)


def _owed(measures: list[Measure], today: date, rules: Rules, key: str) -> list[Item]:
    items = []
    for measure in measures:
        shown = light(measure, today, rules)
        if shown in OWED:
            assert shown is not None
            progress = latest_progress(measure)
            items.append(Item(measure, shown, days_overdue(measure, today), progress, key))
    return items


def _in_order(items: list[Item]) -> list[Item]:
    # Red before yellow, then by deadline: the earliest, the most days late, first.
    return sorted(items, key=lambda item: (item.light is not Light.RED, by_deadline(item.measure)))


def check_unit(source: Ledger | Plans, unit: str, names: Units | None = None) -> str:
    """The unit as the plans name it; a BadValue listing the units if they name none such.

    `unit` is a unit's name, or a part of one name only; with `names` (units.toml),
    any of a unit's names or a part of one, the unit then given by its canonical name.
    """
    known = units(source)
    wanted = names.canonical(unit) if names is not None and names.defined else unit
    if wanted in known:
        return wanted
    part = unit.strip()
    if names is not None and names.defined:
        near = [name for name in known if part and names.matches(part, name)]
    else:
        near = [name for name in known if part and part in name]
    if len(near) == 1:
        return near[0]
    listed = _(", ").join(known) if known else _("(none)")
    raise BadValue(
        _("no unit is named {unit} in the ledger.").format(unit=typed(unit, 80)),
        _("The units: {units}.").format(units=listed),
    )


def build_notice(
    source: Ledger | Plans,
    unit: str,
    today: date,
    reply_by: date | None = None,
    number: str = "",
    office: str = "",
    names: Units | None = None,
) -> Notice:
    """The notice to `unit` (see `check_unit`) on `today`, over one ledger or several plans
    (each beside its key; over two or more, each measure is named by its plan's key too)."""
    plans = _plans(source)
    name = check_unit(plans, unit, names)
    several = len(plans) > 1
    led: list[Item] = []
    partnered: list[Item] = []
    for key, ledger in plans:
        rules = rules_of(ledger.plan)
        shown_key = key if several else ""
        mine = [m for m in ledger.measures if m.owner == name]
        theirs = [m for m in ledger.measures if name in m.partners and m.owner != name]
        led += _owed(mine, today, rules, shown_key)
        partnered += _owed(theirs, today, rules, shown_key)
    return Notice(
        unit=name,
        plans=tuple(ledger.plan.name for _key, ledger in plans),
        as_of=today,
        reply_by=reply_by or today + timedelta(days=REPLY_DAYS),
        number=number,
        office=office,
        led=_in_order(led),
        partnered=_in_order(partnered),
    )


def units_to_notify(source: Ledger | Plans, today: date) -> list[str]:
    """The units that owe something (a red or yellow measure, led or partnered), in order."""
    plans = _plans(source)
    return [unit for unit in units(plans) if build_notice(plans, unit, today).items]


def file_name(unit: str, suffix: str) -> str:
    """A file name for the unit's notice: its name, / and other unsafe characters as _."""
    safe = "".join("_" if char in '/\\:*?"<>|' or ord(char) < 32 else char for char in unit)
    return f"{safe.strip('. ') or '_'}.{suffix}"
