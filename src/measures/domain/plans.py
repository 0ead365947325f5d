"""The plans of a workspace as read commands see them: units canonical, measures beside
their plan's key. Pure: the workspace is read in `ledger/workspace.py`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from measures.domain.lights import Rules, rules_of
from measures.domain.queries import Filter, SortKey, select, sort_across, sort_measures
from measures.domain.units import Units, canonical_ledger

if TYPE_CHECKING:
    from measures.ledger.workspace import Workspace
    from measures.model.records import Ledger, Measure


@dataclass(frozen=True)
class PlanView:
    key: str
    ledger: Ledger


def units_of(workspace: Workspace) -> Units:
    return Units(workspace.units)


def views(workspace: Workspace) -> list[PlanView]:
    """Each readable plan, in file order, its units under their canonical names."""
    units = units_of(workspace)
    return [
        PlanView(plan.key, canonical_ledger(plan.ledger, units))
        for plan in workspace.readable
        if plan.ledger is not None
    ]


def listed(
    plans: list[PlanView], wanted: Filter, today: date, key: SortKey, several: bool
) -> tuple[list[Measure], list[str] | None]:
    """The measures `list` shows, and beside each its plan's key when there are several plans."""
    if not several and len(plans) == 1:
        only = plans[0].ledger
        return sort_measures(select(only.measures, _lit_by(wanted, only), today), key), None
    pairs = [
        (index, measure)
        for index, view in enumerate(plans)
        for measure in select(view.ledger.measures, _lit_by(wanted, view.ledger), today)
    ]
    chosen = sort_across(pairs, key)
    return [measure for _index, measure in chosen], [plans[index].key for index, _m in chosen]


def _lit_by(wanted: Filter, ledger: Ledger) -> Filter:
    """The filter with the plan's thresholds of the lights, for `--light`."""
    if not wanted.lights:
        return wanted
    return replace(wanted, rules=rules_of(ledger.plan))


def rules_beside(
    plans: list[PlanView], chosen: list[Measure], keys: list[str] | None
) -> Rules | list[Rules]:
    """The thresholds of the lights of the measures `listed` gave: the one plan's, or
    beside each measure its own plan's (`[plan] yellow_days` and `stale_days`)."""
    if keys is None:
        return rules_of(plans[0].ledger.plan) if plans else Rules()
    by_key = {view.key: rules_of(view.ledger.plan) for view in plans}
    assert len(keys) == len(chosen)
    return [by_key[key] for key in keys]
