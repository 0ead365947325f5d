"""What the log says: the ledger as it stood on a past day, the log in time order,
and a change described in a few words. All pure.

A log entry takes effect on the calendar day of its `at` (in its own UTC
offset), except a `done` entry, which takes effect on the `done_on` it set: the
lead unit may report on 2021-03-10 a measure done on 2021-03-01; and an entry
with an `on` (a change backdated with `--on`), which takes effect on that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from measures.domain.labels import action_label, format_date, status_label
from measures.i18n import _, language, ngettext
from measures.model.fieldnames import field_label
from measures.model.status import COMPLETE, Action, Status

if TYPE_CHECKING:
    from measures.model.records import FieldValue, Ledger, LogEntry, Measure

# Fields whose moves the log records as field/old/new, besides status and done_on.
_TRACKED = ("title", "title_en", "owner", "partners", "deadline", "deadline_text", "source")
# Of those, the one whose old value may be None: an ongoing measure has no deadline.
_MAY_BE_NONE = frozenset({"deadline"})


def effective_day(entry: LogEntry) -> date:
    """The day from which the entry's change holds."""
    if entry.on is not None:  # a backdated change (`--on`)
        return entry.on
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
        moved = _value_on(
            [(e, e.old, e.new) for e in entries if e.field == name], day, name in _MAY_BE_NONE
        )
        if moved is not None:
            update[name] = moved[0]
    update["log"] = tuple(e for e in entries if effective_day(e) <= day)
    return replace(measure, **update)


def _value_on(
    moves: list[tuple[LogEntry, Any, Any]], day: date, none_is_value: bool = False
) -> tuple[Any] | None:
    """(value,) as the moves leave it on `day`, or None where the record's value stands.

    A first move from None leaves the record's value standing (an entry written by
    hand without `old`), unless `none_is_value`: a deadline set on an ongoing measure.
    """
    if not moves or all(effective_day(entry) <= day for entry, _, _ in moves):
        return None
    taken = [new for entry, _, new in moves if effective_day(entry) <= day]
    if taken:
        return (taken[-1],)
    first_old = moves[0][1]
    return None if first_old is None and not none_is_value else (first_old,)


def _done_on(measure: Measure, status: Status, day: date) -> date | None:
    if status not in COMPLETE:
        return None
    done = [e for e in measure.log if e.action is Action.DONE and effective_day(e) <= day]
    # A complete status comes from a done entry, unless the record was written by hand.
    return effective_day(done[-1]) if done else (measure.done_on or day)


def ledger_as_of(ledger: Ledger, day: date) -> Ledger:
    """The ledger as its log says it stood at the end of `day`."""
    measures = tuple(m for m in (as_of(measure, day) for measure in ledger.measures) if m)
    return replace(ledger, measures=measures)


@dataclass(frozen=True)
class Event:
    """One log entry beside the id of its measure."""

    measure_id: int
    entry: LogEntry
    plan: str | None = None  # the plan's key, in a workspace of several plans


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


def events_across(
    plans: Iterable[tuple[str, Iterable[Measure]]], since: date | None = None
) -> list[Event]:
    """The log entries of several plans, each beside its plan's key, oldest first (ties keep
    plan and file order)."""
    found = [
        Event(measure.id, entry, key)
        for key, measures in plans
        for measure in measures
        for entry in measure.log
        if since is None or entry.at.date() >= since
    ]
    return sorted(found, key=lambda event: event.entry.at)


# The entries whose note is the unit's progress: a note, or the reason a
# measure was blocked or dropped. The note of an `add`, `done` or `set` says
# how the change was made (`imported from 反馈表.xlsx`), not how the work goes.
_PROGRESS_ACTIONS = frozenset({Action.NOTE, Action.BLOCK, Action.DROP})


def latest_progress(measure: Measure) -> str:
    """The measure's newest progress note (a note, or a block or drop reason), or ""."""
    for entry in reversed(measure.log):
        if entry.action in _PROGRESS_ACTIONS:
            return entry.note or ""
    return ""


def _shown(value: FieldValue | None) -> str:
    if value is None:
        return _("(none)")
    if isinstance(value, tuple):
        return "; ".join(value) if value else _("(none)")
    if isinstance(value, date):
        return format_date(value)
    if value == "":
        return _("(empty)") if language() == "zh" else repr(value)
    return value


def _status_shown(value: FieldValue | None) -> FieldValue | None:
    """A status's value, `doing`, as its label (推进中 in Chinese); anything else as it is."""
    if isinstance(value, str) and value in Status.__members__.values():
        return status_label(Status(value))
    return value


def change_text(entry: LogEntry) -> str:
    """What the entry moved: `todo → done`, `deadline 2020-12-31 → 2021-03-31`."""
    move = field = ""
    if entry.to is not None:
        to = status_label(entry.to)
        move = f"{status_label(entry.from_)} → {to}" if entry.from_ else to
    if entry.field == "status" and move:
        pass  # a status `set`: the move says it all (its old and new are the same statuses)
    elif entry.field is not None:
        if entry.action is Action.DONE:
            field = _("on {day}").format(day=_shown(entry.new))
        elif entry.new is None and entry.action is Action.REOPEN:
            field = _("{field} {day} cleared").format(
                field=field_label("done_on"), day=_shown(entry.old)
            )
        else:
            old, new = entry.old, entry.new
            if entry.field == "status":  # a status as text, in an entry that moved none
                old, new = (_status_shown(value) for value in (old, new))
            field = f"{field_label(entry.field)} {_shown(old)} → {_shown(new)}"
    parts = [part for part in (move, field) if part]
    if entry.on is not None:  # backdated
        parts.append(_("on {day}").format(day=_shown(entry.on)))
    if entry.evidence:
        parts.append(
            _("evidence: {items}").format(
                items=_("; ").join(item.path or item.url or "" for item in entry.evidence)
            )
        )
    return _(", ").join(parts) if len(parts) > 2 else _join_two(parts)


def _join_two(parts: list[str]) -> str:
    if len(parts) == 2:
        return _("{move}, {change}").format(move=parts[0], change=parts[1])
    return parts[0] if parts else ""


def describe_change(before: Ledger, after: Ledger) -> str:
    """The log entries `after` adds to `before`, in a few words: `done 3 (todo → done)`."""
    from measures.ledger.journal import what_changed

    return describe_recorded(what_changed(before, after))


# Undo's message cuts a change's words here (a journal of an older version may
# hold long ones).
SUMMARY_LIMIT = 300


def describe_recorded(what: Any) -> str:
    """The words, in the language of the moment, for a change the journal recorded as data.

    `what` is as `journal.what_changed` makes it; a journal written before
    changes were kept as data holds their words, `{"words": ...}`.
    """
    words = _recorded_words(what)
    return words if len(words) <= SUMMARY_LIMIT else f"{words[: SUMMARY_LIMIT - 1]}…"


def _recorded_words(what: Any) -> str:
    if not isinstance(what, dict):
        return str(what)
    if "words" in what:
        return str(what["words"])
    if "entries" in what:
        return _("; ").join(_entry_words(ident, data) for ident, data in what["entries"])
    if "actions" in what:
        parts = [
            ngettext(
                "{action} {count} measure (id {ids})",
                "{action} {count} measures (ids {ids})",
                part["count"],
            ).format(
                action=action_label(Action(part["action"])),
                count=part["count"],
                ids=_id_runs(part),
            )
            for part in what["actions"]
        ]
        return _("; ").join(parts)
    if "edited" in what:
        return _("an edit of measure {ids}").format(ids=_id_runs(what["edited"]))
    return _("an edit")


def _entry_words(ident: int, data: dict[str, Any]) -> str:
    """`done 3 (todo → done)`: one recorded log entry, from its JSON fields."""
    from measures.model import wellformed

    entry = wellformed.entry_json(data)
    if entry is None:  # not as a write records it: the model reads it, or says what is wrong
        import json

        from measures.model import validate

        # As JSON, so that a date field's old and new read back as dates.
        entry = validate.entry_json(json.dumps(data))
    change = change_text(entry)
    action = action_label(entry.action)
    if change:
        return _("{action} {id} ({change})").format(action=action, id=ident, change=change)
    return _("{action} {id}").format(action=action, id=ident)


# Of the runs of ids the journal keeps, this many are shown.
_RUNS_SHOWN = 8


def _id_runs(counted: dict[str, Any]) -> str:
    """Ids kept as runs, `1–3, 7`, the first _RUNS_SHOWN of them and then `…`."""
    runs = counted["runs"]
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in runs[:_RUNS_SHOWN]]
    if len(runs) > _RUNS_SHOWN:
        shown.append("…")
    return _(", ").join(shown)
