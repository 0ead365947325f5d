"""What a completion report says, as plain data; the renderers lay it out."""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from measures.domain.labels import UNASSIGNED
from measures.domain.lights import Light, Rules, light, rules_of
from measures.domain.queries import days_ahead, overdue
from measures.model.status import COMPLETE, OPEN, Action, Status, days_overdue, is_overdue

if TYPE_CHECKING:
    from measures.domain.cadence import Since
    from measures.domain.units import Units
    from measures.model.records import Ledger, Measure

# The group of measures with no owner: this key in JSON, translated where shown.
DUE_WITHIN_DAYS = 14


@dataclass(frozen=True)
class OwnerRow:
    owner: str
    total: int
    complete: int
    in_progress: int
    overdue: int
    extended: int
    # Of `complete`: how many the supervising office has signed off.
    verified: int = 0
    # "inferred": the ledger guesses this owner (no source names it); shown 区税务局（推定）.
    owner_basis: str = ""
    # Traffic lights (domain/lights.py): how many of the owner's measures show each.
    red: int = 0
    yellow: int = 0
    green: int = 0

    @property
    def done(self) -> int:
        """Complete as reported by the lead unit, not yet verified."""
        return self.complete - self.verified

    @property
    def rate(self) -> float:
        """Share complete of the measures not dropped, 0.0 when there are none."""
        dropped_free = self.complete + self.in_progress
        return self.complete / dropped_free if dropped_free else 0.0

    @property
    def countable(self) -> bool:
        """Whether the owner has a measure not dropped, so a completion rate to speak of.

        An owner whose every measure was dropped (0 of 0) is shown apart, never
        ranked as 0 % complete.
        """
        return self.complete + self.in_progress > 0


@dataclass(frozen=True)
class UnitRow:
    """A unit across the plans: the measures it leads and those it partners, counted apart."""

    unit: str
    led: int
    led_complete: int
    led_overdue: int
    partnered: int
    partnered_complete: int
    partnered_overdue: int


@dataclass(frozen=True)
class BurnupPoint:
    """On `day`: how many measures were complete, verified, and due by then."""

    day: date
    complete: int
    verified: int
    due: int


@dataclass(frozen=True)
class Report:
    plan: str
    as_of: date
    declared: int | None
    by_status: dict[Status, int]
    owners: list[OwnerRow]
    overdue: list[tuple[Measure, int]]
    due_within: int
    due_soon: list[tuple[Measure, int]]  # with the days left
    issued: date | None
    # The units that have not reported this period ([plan] report_every); None without one.
    not_reported: tuple[str, ...] | None = None
    # What changed since a day (`report --since`); None when not asked.
    since: Since | None = None
    # A workspace of several plans: a row by plan (its key in `owner`), a row by unit
    # across the plans, and beside each overdue and each due-soon measure its plan's key.
    plans: tuple[OwnerRow, ...] = ()
    units: tuple[UnitRow, ...] = ()
    overdue_plans: tuple[str, ...] = ()
    due_soon_plans: tuple[str, ...] = ()
    # Where the plan comes from, as `[plan]` says: district, source, notes ("" if not said).
    district: str = ""
    source: str = ""
    notes: str = ""
    # How many measures show each traffic light, of the whole plan.
    lights: dict[Light, int] = field(default_factory=lambda: dict.fromkeys(Light, 0))
    # The measures counted, for what is worked out only when asked (`burnup`).
    measures: tuple[Measure, ...] = field(default=(), repr=False)

    @functools.cached_property
    def burnup(self) -> list[BurnupPoint]:
        """Completion over time (`burnup()`), for the charts and the JSON: worked out when
        first asked, as the terminal's report, the commonest, shows none."""
        return burnup(self.measures, self.as_of)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def complete(self) -> int:
        return sum(self.by_status[status] for status in COMPLETE)

    @property
    def done(self) -> int:
        return self.by_status[Status.DONE]

    @property
    def verified(self) -> int:
        return self.by_status[Status.VERIFIED]

    @property
    def in_progress(self) -> int:
        return sum(self.by_status[status] for status in OPEN)

    @property
    def rate(self) -> float:
        """Complete over all measures that are not dropped."""
        counted = self.complete + self.in_progress
        return self.complete / counted if counted else 0.0

    @property
    def counted_owners(self) -> list[OwnerRow]:
        """The owners with a completion rate, in the report's order."""
        return [row for row in self.owners if row.countable]

    @property
    def uncounted_owners(self) -> list[OwnerRow]:
        """The owners with nothing to count: every measure of theirs dropped."""
        return [row for row in self.owners if not row.countable]


def build_report(
    ledger: Ledger,
    today: date,
    due_within: int = DUE_WITHIN_DAYS,
    since: date | None = None,
    rules: Callable[[Measure], Rules] | None = None,
) -> Report:
    """The report of one ledger on `today`; `rules`: each measure's light thresholds (default:
    the plan's)."""
    by_status = dict.fromkeys(Status, 0)
    # An owner inferred is kept apart from the same owner assigned: a guess credits no one.
    groups: dict[tuple[str, str], list[Measure]] = {}
    for measure in ledger.measures:
        by_status[measure.status] += 1
        owner = measure.owner
        key = (owner, measure.owner_basis) if owner else (UNASSIGNED, "")
        groups.setdefault(key, []).append(measure)
    rules_for = rules or _every_measure(rules_of(ledger.plan))
    owners = [
        _owner_row(owner, measures, today, rules_for, basis)
        for (owner, basis), measures in groups.items()
    ]
    # Those with nothing to count (every measure dropped) after all the others.
    owners.sort(
        key=lambda row: (
            not row.countable,
            row.owner == UNASSIGNED,
            -row.total,
            row.owner,
            row.owner_basis,
        )
    )
    late = [(m, days_overdue(m, today)) for m in overdue(ledger.measures, today)]
    return Report(
        plan=ledger.plan.name,
        as_of=today,
        declared=ledger.plan.declared,
        by_status=by_status,
        owners=owners,
        overdue=late,
        due_within=due_within,
        due_soon=due_soon(ledger.measures, today, due_within),
        measures=ledger.measures,
        issued=ledger.plan.issued,
        district=ledger.plan.district,
        source=ledger.plan.source,
        notes=ledger.plan.notes,
        not_reported=_not_reported(ledger, today),
        since=None if since is None else _since(ledger, since, today),
        lights=_lights_of(owners),
    )


def _every_measure(rules: Rules) -> Callable[[Measure], Rules]:
    """The same thresholds for every measure: those of a single plan."""
    return lambda _measure: rules


def _lights_of(rows: Iterable[OwnerRow]) -> dict[Light, int]:
    counts = dict.fromkeys(Light, 0)
    for row in rows:
        counts[Light.RED] += row.red
        counts[Light.YELLOW] += row.yellow
        counts[Light.GREEN] += row.green
    return counts


# Imported when asked for: `report` on the quick path does without the log's modules.
def _not_reported(ledger: Ledger, today: date) -> tuple[str, ...] | None:
    if ledger.plan.report_every is None:
        return None
    from measures.domain.cadence import not_reported

    return not_reported(ledger, today)


def _since(ledger: Ledger, since: date, today: date) -> Since:
    from measures.domain.cadence import changes_since

    return changes_since(ledger.measures, since, today)


def build_office_report(
    plans: Sequence[tuple[str, Ledger]],
    today: date,
    due_within: int = DUE_WITHIN_DAYS,
    units: Units | None = None,
    since: date | None = None,
) -> Report:
    """The whole office's report over several plans: the figures of all their measures,
    a row by plan, a row by unit (owners and partners under their canonical names);
    with `since`, what changed in any of them since that day."""
    from dataclasses import replace

    from measures.i18n import _
    from measures.model.records import Ledger, Plan

    every = tuple(measure for _key, ledger in plans for measure in ledger.measures)
    name = _("All plans: {plans}").format(plans=_(", ").join(key for key, _l in plans))
    issued = [ledger.plan.issued for _key, ledger in plans if ledger.plan.issued]
    # Each measure's light by its own plan's thresholds ([plan] yellow_days, stale_days).
    rules_by_plan = {key: rules_of(ledger.plan) for key, ledger in plans}
    key_of = {id(measure): key for key, ledger in plans for measure in ledger.measures}
    whole = build_report(
        Ledger(plan=Plan(name=name, issued=min(issued) if issued else None), measures=every),
        today,
        due_within,
        since,
        lambda measure: rules_by_plan[key_of[id(measure)]],
    )
    by_plan = tuple(
        _owner_row(key, list(ledger.measures), today, _every_measure(rules_by_plan[key]))
        for key, ledger in plans
    )
    return replace(
        whole,
        declared=None,
        plans=by_plan,
        units=unit_rows(every, today, units),
        overdue_plans=tuple(key_of[id(measure)] for measure, _days in whole.overdue),
        due_soon_plans=tuple(key_of[id(measure)] for measure, _days in whole.due_soon),
    )


def unit_rows(measures: Iterable[Measure], today: date, units: Units | None) -> tuple[UnitRow, ...]:
    """Each unit's measures as owner and as partner, most measures first."""
    canonical = units.canonical if units is not None else (lambda name: name)
    led: dict[str, list[Measure]] = {}
    partnered: dict[str, list[Measure]] = {}
    for measure in measures:
        led.setdefault(canonical(measure.owner) if measure.owner else UNASSIGNED, []).append(
            measure
        )
        for partner in dict.fromkeys(canonical(p) for p in measure.partners):
            partnered.setdefault(partner, []).append(measure)

    def counts(group: list[Measure]) -> tuple[int, int, int]:
        complete = sum(1 for m in group if m.status in COMPLETE)
        return len(group), complete, sum(1 for m in group if is_overdue(m, today))

    rows = [
        UnitRow(unit, *counts(led.get(unit, [])), *counts(partnered.get(unit, [])))
        for unit in dict.fromkeys([*led, *partnered])
    ]
    rows.sort(key=lambda r: (r.unit == UNASSIGNED, -(r.led + r.partnered), -r.led, r.unit))
    return tuple(rows)


def _owner_row(
    owner: str,
    measures: list[Measure],
    today: date,
    rules: Callable[[Measure], Rules],
    basis: str = "",
) -> OwnerRow:
    # One pass over the group: a big ledger's report spends its time here.
    complete = in_progress = late = extended = verified = 0
    lit = dict.fromkeys(Light, 0)
    for m in measures:
        shown = light(m, today, rules(m))
        if shown is not None:
            lit[shown] += 1
        status = m.status
        if status in COMPLETE:
            complete += 1
            verified += status is Status.VERIFIED
        elif status in OPEN:
            in_progress += 1
            late += is_overdue(m, today)
        if m.log and any(e.action is Action.EXTEND for e in m.log):
            extended += 1
    return OwnerRow(
        owner=owner,
        total=len(measures),
        complete=complete,
        in_progress=in_progress,
        overdue=late,
        extended=extended,
        verified=verified,
        owner_basis=basis,
        red=lit[Light.RED],
        yellow=lit[Light.YELLOW],
        green=lit[Light.GREEN],
    )


def due_soon(measures: Iterable[Measure], today: date, within: int) -> list[tuple[Measure, int]]:
    """Open measures whose deadline is today or within `within` days, beside their days left.

    Soonest first, then by id. An overdue measure is not "due soon": it is overdue;
    an ongoing one (no deadline) never falls due.
    """
    last = days_ahead(today, within)
    soon = [
        (m, (deadline - today).days)
        for m in measures
        if (deadline := m.deadline) is not None and m.status in OPEN and today <= deadline <= last
    ]
    return sorted(soon, key=lambda pair: (pair[1], pair[0].id))


def completed_on(measure: Measure) -> date | None:
    """The day a complete measure was completed: its `done_on`."""
    return measure.done_on if measure.status in COMPLETE else None


def verified_on(measure: Measure) -> date | None:
    """The day a verified measure was signed off: its newest `verify` entry, else `done_on`.

    The entry's date is read in its own UTC offset, the office's local day.
    """
    if measure.status is not Status.VERIFIED:
        return None
    for entry in reversed(measure.log):
        if entry.action is Action.VERIFY:
            return entry.at.date()
    return measure.done_on


def burnup(measures: Iterable[Measure], today: date) -> list[BurnupPoint]:
    """Completion over time against the deadlines, one point per day where a count moves.

    The days are those on which a measure was completed or verified or falls due,
    and `today`, oldest first. At each day: the measures complete by then (by their
    `done_on`), verified by then (their `verify` entry), and due by then (their
    current deadline; an ongoing measure never falls due). Dropped measures are left
    out; so are days after `today`, except deadlines, which show what is still to come.
    """
    counted = [m for m in measures if m.status is not Status.DROPPED]
    complete = [m for m in counted if m.status in COMPLETE]  # the others have no such days
    done_days = sorted(d for m in complete if (d := completed_on(m)) is not None and d <= today)
    verified = [m for m in complete if m.status is Status.VERIFIED]
    verified_days = sorted(d for m in verified if (d := verified_on(m)) is not None and d <= today)
    deadlines = sorted(d for m in counted if (d := m.deadline) is not None)
    days = sorted({*done_days, *verified_days, *deadlines, today})
    # The lists are sorted, so "how many on or before `day`" is a binary search.
    return [
        BurnupPoint(
            day=day,
            complete=bisect_right(done_days, day),
            verified=bisect_right(verified_days, day),
            due=bisect_right(deadlines, day),
        )
        for day in days
    ]


# A burn-up's time axis runs to the plan's main horizon; a few deadlines far beyond
# it (at most this share of the measures) are noted rather than drawn.
BEYOND_SHARE = 0.25


@dataclass(frozen=True)
class BurnupSpan:
    """The days a burn-up's time axis covers, and the deadlines it leaves beyond its end."""

    start: date
    end: date
    # After `end`: each deadline's day and how many measures fall due on it, oldest first.
    beyond: list[tuple[date, int]]

    @property
    def beyond_count(self) -> int:
        return sum(count for _, count in self.beyond)


def burnup_span(points: Sequence[BurnupPoint], as_of: date, issued: date | None) -> BurnupSpan:
    """From the plan's issue day (or its first event) to its main horizon, or `as_of` if later.

    The horizon is the last deadline, unless a few deadlines (at most a quarter
    of the measures) lie so far out that drawing them would more than double
    the axis: one measure extended by years would squeeze the plan's months
    into a corner. Those are left beyond the end, for the chart to note.
    """
    start = min([as_of, *([issued] if issued else []), *(p.day for p in points[:1])])
    deadlines: list[tuple[date, int]] = []
    due = 0
    for point in points:
        if point.due > due:
            deadlines.append((point.day, point.due - due))
            due = point.due
    horizon = _main_horizon(start, deadlines, due)
    end = max(as_of, horizon) if horizon else as_of
    return BurnupSpan(start, end, [(day, n) for day, n in deadlines if day > end])


def _main_horizon(start: date, deadlines: list[tuple[date, int]], total: int) -> date | None:
    """The last deadline the axis shows: cut before the first far outlier, latest cut first."""
    if not deadlines:
        return None
    left_out = 0
    for index in range(len(deadlines) - 1, 0, -1):
        left_out += deadlines[index][1]
        if left_out > total * BEYOND_SHARE:
            break
        kept = (deadlines[index - 1][0] - start).days
        if (deadlines[index][0] - start).days > 2 * max(kept, 1):
            return deadlines[index - 1][0]
    return deadlines[-1][0]
