"""The office's units: canonical names and aliases (`units.toml`), for filters and reports.

A unit goes by several names: 区市场监管局 is 区市场监督管理局, and a vertically
managed unit has a long official name (国家税务总局包头市昆都仑区税务局 for
区税务局). `Units` maps every name to the unit's canonical one; every filter,
grouping and report of a workspace goes through it. Pure: the file is read in
`ledger/workspace.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from measures.ledger.workspace import Unit
    from measures.model.records import Ledger, Measure


class Units:
    """Every name a unit goes by, mapped to its canonical name (names compared trimmed)."""

    def __init__(self, units: Sequence[Unit] | None = None) -> None:
        self.defined = units is not None
        self._canonical: dict[str, str] = {}
        self._names: dict[str, tuple[str, ...]] = {}
        for unit in units or ():
            names = (unit.name, *unit.aliases)
            self._names[unit.name] = names
            for name in names:
                self._canonical.setdefault(name.strip(), unit.name)

    def canonical(self, name: str) -> str:
        """The unit's canonical name; a name no unit has, as it is."""
        return self._canonical.get(name.strip(), name)

    def known(self, name: str) -> bool:
        return name.strip() in self._canonical

    def names(self, name: str) -> tuple[str, ...]:
        """Every name of the unit `name` is one of (itself alone if no unit has it)."""
        return self._names.get(self.canonical(name), (name,))

    def matches(self, part: str, name: str) -> bool:
        """Whether `part` is part of any name of this unit, case ignored."""
        wanted = part.casefold()
        return any(wanted in each.casefold() for each in self.names(name))


def canonical_measure(measure: Measure, units: Units) -> Measure:
    """The measure with its owner and partners under their canonical names."""
    owner = units.canonical(measure.owner) if measure.owner else measure.owner
    partners = tuple(dict.fromkeys(units.canonical(p) for p in measure.partners))
    if owner == measure.owner and partners == measure.partners:
        return measure
    return replace(measure, owner=owner, partners=partners)


def canonical_ledger(ledger: Ledger, units: Units) -> Ledger:
    """The ledger as read commands see it: every unit under its canonical name."""
    if not units.defined:
        return ledger
    return replace(ledger, measures=tuple(canonical_measure(m, units) for m in ledger.measures))


def unknown_units(measures: Iterable[Measure], units: Units) -> list[tuple[int, str, str]]:
    """(id, "owner" or "partner", name) for each owner and partner name no unit has."""
    found: list[tuple[int, str, str]] = []
    for measure in measures:
        if measure.owner and not units.known(measure.owner):
            found.append((measure.id, "owner", measure.owner))
        found += [(measure.id, "partner", p) for p in measure.partners if not units.known(p)]
    return found
