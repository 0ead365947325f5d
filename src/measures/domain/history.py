"""What the log says: the ledger as it stood on a past day, the log in time order,
and a change described in a few words. All pure.

A log entry takes effect on the calendar day of its `at` (in its own UTC
offset), except a `done` entry, which takes effect on the `done_on` it set: the
lead unit may report on 2021-03-10 a measure done on 2021-03-01.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from measures.domain.labels import action_label, format_date, status_label
from measures.i18n import _, ngettext
from measures.model.status import COMPLETE, Action, Status

if TYPE_CHECKING:
    from measures.model.records import FieldValue, Ledger, LogEntry, Measure

# Fields whose moves the log records as field/old/new, besides status and done_on.
_TRACKED = ("title", "title_en", "owner", "partners", "deadline", "source")


def effective_day(entry: LogEntry) -> date:
    """The day from which the entry's change holds."""
    if entry.action is Action.DONE and entry.field == "done_on" and isinstance(entry.new, date):
        return entry.new
    return entry.at.date()


def as_of(measure: Measure, day: date) -> Measure | None:
    """The measure as its log says it stood at the end of `day`; None if not yet added.

    Each of status, done_on and the fields `set` and `extend` change takes the value
    of the newest entry that moved it and had taken effect by `day`; before the
    first such entry, the value that entry moved it from. When every entry that
    moved a field had taken effect, the record's own value stands (it is the truth
    now, even where a hand edit left no log entry). The log keeps only the entries
    that had taken effect.
    """
    entries = list(measure.log)
    if any(e.action is Action.ADD and effective_day(e) > day for e in entries):
        return None
    update: dict[str, Any] = {}
    status = _value_on([(e, e.from_, e.to) for e in entries if e.to is not None], day)
    if status is not None:
        update["status"] = status[0]
        update["done_on"] = _done_on(measure, status[0], day)
    for name in _TRACKED:
        moved = _value_on([(e, e.old, e.new) for e in entries if e.field == name], day)
        if moved is not None:
            update[name] = moved[0]
    update["log"] = tuple(e for e in entries if effective_day(e) <= day)
    return measure.model_copy(update=update)


def _value_on(moves: list[tuple[LogEntry, Any, Any]], day: date) -> tuple[Any] | None:
    """(value,) as the moves leave it on `day`, or None where the record's value stands."""
    if not moves or all(effective_day(entry) <= day for entry, _, _ in moves):
        return None
    taken = [new for entry, _, new in moves if effective_day(entry) <= day]
    if taken:
        return (taken[-1],)
    first_old = moves[0][1]
    return None if first_old is None else (first_old,)


def _done_on(measure: Measure, status: Status, day: date) -> date | None:
    if status not in COMPLETE:
        return None
    done = [e for e in measure.log if e.action is Action.DONE and effective_day(e) <= day]
    # A complete status comes from a done entry, unless the record was written by hand.
    return effective_day(done[-1]) if done else (measure.done_on or day)


def ledger_as_of(ledger: Ledger, day: date) -> Ledger:
    """The ledger as its log says it stood at the end of `day`."""
    measures = tuple(m for m in (as_of(measure, day) for measure in ledger.measures) if m)
    return ledger.model_copy(update={"measures": measures})


@dataclass(frozen=True)
class Event:
    """One log entry beside the id of its measure."""

    measure_id: int
    entry: LogEntry


def events(
    measures: Iterable[Measure], since: date | None = None, measure_id: int | None = None
) -> list[Event]:
    """Log entries, oldest first (by `at`; ties keep file order), from `since` on."""
    found = [
        Event(measure.id, entry)
        for measure in measures
        if measure_id is None or measure.id == measure_id
        for entry in measure.log
        if since is None or entry.at.date() >= since
    ]
    return sorted(found, key=lambda event: event.entry.at)


def _shown(value: FieldValue | None) -> str:
    if value is None:
        return _("(none)")
    if isinstance(value, tuple):
        return "; ".join(value) if value else _("(none)")
    if isinstance(value, date):
        return format_date(value)
    return repr(value) if value == "" else value


def change_text(entry: LogEntry) -> str:
    """What the entry moved: `todo → done`, `deadline 2020-12-31 → 2021-03-31`."""
    move = field = ""
    if entry.to is not None:
        to = status_label(entry.to)
        move = f"{status_label(entry.from_)} → {to}" if entry.from_ else to
    if entry.field is not None:
        if entry.action is Action.DONE:
            field = _("on {day}").format(day=_shown(entry.new))
        elif entry.new is None and entry.action is Action.REOPEN:
            field = _("done_on {day} cleared").format(day=_shown(entry.old))
        else:
            field = f"{entry.field} {_shown(entry.old)} → {_shown(entry.new)}"
    if move and field:
        return _("{move}, {change}").format(move=move, change=field)
    return move or field


def describe_change(before: Ledger, after: Ledger) -> str:
    """The log entries `after` adds to `before`, in a few words: `done 3 (todo → done)`.

    The words are in the language of the moment; the undo journal keeps them as
    they were when the change was made.
    """
    known = {measure.id: len(measure.log) for measure in before.measures}
    added = [
        (measure.id, entry)
        for measure in after.measures
        for entry in measure.log[known.get(measure.id, 0) :]
    ]
    if len(added) > _ENTRIES_IN_FULL:
        return _in_short(added)
    words = []
    for measure in after.measures:
        for entry in measure.log[known.get(measure.id, 0) :]:
            change = change_text(entry)
            action = action_label(entry.action)
            if change:
                words.append(
                    _("{action} {id} ({change})").format(
                        action=action, id=measure.id, change=change
                    )
                )
            else:
                words.append(_("{action} {id}").format(action=action, id=measure.id))
    if words:
        return _("; ").join(words)
    old = {measure.id: measure for measure in before.measures}
    changed = sorted(m.id for m in after.measures if old.get(m.id) != m)
    if changed:
        return _("an edit of measure {ids}").format(ids=_id_runs(changed))
    return _("an edit")


# A change of more log entries than this (an import) is told in counts and ids.
_ENTRIES_IN_FULL = 10
_RUNS_SHOWN = 8


def _in_short(added: list[tuple[int, LogEntry]]) -> str:
    """`add 2000 measures (ids 1–2000); set 3 measures (ids 4, 9–10)`: a bounded summary."""
    by_action: dict[Action, list[int]] = {}
    for ident, entry in added:
        ids = by_action.setdefault(entry.action, [])
        if not ids or ids[-1] != ident:
            ids.append(ident)
    parts = []
    for action, ids in by_action.items():
        unique = sorted(set(ids))
        parts.append(
            ngettext(
                "{action} {count} measure (id {ids})",
                "{action} {count} measures (ids {ids})",
                len(unique),
            ).format(action=action_label(action), count=len(unique), ids=_id_runs(unique))
        )
    return _("; ").join(parts)


def _id_runs(ids: list[int]) -> str:
    """Sorted ids as runs, `1–3, 7`, the first _RUNS_SHOWN of them and then `…`."""
    runs: list[list[int]] = []
    for ident in ids:
        if runs and ident == runs[-1][1] + 1:
            runs[-1][1] = ident
        else:
            runs.append([ident, ident])
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in runs[:_RUNS_SHOWN]]
    if len(runs) > _RUNS_SHOWN:
        shown.append("…")
    return _(", ").join(shown)
