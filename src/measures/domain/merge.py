"""Three-way merge of ledgers, record by record, for git's merge driver.

Git hands over three versions of the ledger: the common ancestor (base), ours
and theirs. They are merged per measure id and, within a measure, per field: a
field changed on one side only takes that side's value, changed alike on both
sides is fine, changed differently is a conflict. `status` and `done_on` move
together as one field, so a merged record always validates, and so do
`deadline` and its wording `deadline_text`. Logs are merged as
sets: every entry either side added is kept, an entry either side removed
(`undo`) stays removed, and the result is ordered by time.

Measures added on one side are kept (those from theirs are appended); one added
on both sides with the same id is merged field by field with no base, so
different content is a conflict. A measure deleted on one side is deleted when
the other side left it as it was, and is a conflict when the other side changed it.

The result is written by editing our text, so its comments and layout are kept.
When there are conflicts, the text holds git-style `<<<<<<< ours` /
`=======` / `>>>>>>> theirs` sections around the lines that differ.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ValidationError

from measures.i18n import _
from measures.model import validate
from measures.model.records import Ledger, LogEntry, Measure, Plan, Record, field_names

R = TypeVar("R", Plan, Measure)

BOM = "\ufeff"
MARK_OURS = "<<<<<<< ours\n"
MARK_SPLIT = "=======\n"
MARK_THEIRS = ">>>>>>> theirs\n"

# Fields merged as one: a done measure always has its day, an open one none; a
# deadline's wording belongs to its date (a new date from one side and the old
# date's wording from the other would not fit, nor would no date and no wording).
_TOGETHER = {
    "status": ("status", "done_on"),
    "done_on": ("status", "done_on"),
    "deadline": ("deadline", "deadline_text"),
    "deadline_text": ("deadline", "deadline_text"),
    # Whether an owner is inferred is said of that owner, not of another side's.
    "owner": ("owner", "owner_basis"),
    "owner_basis": ("owner", "owner_basis"),
}


class _Absent:
    """The value of a field in a record that does not exist in the base."""

    def __repr__(self) -> str:
        return "absent"


ABSENT = _Absent()


@dataclass(frozen=True)
class MergeConflict:
    """One thing the two sides changed differently."""

    measure: int | None  # None: the [plan] table
    field: str  # a field name, or "record" for the measure as a whole
    detail: str

    def describe(self) -> str:
        where = _("plan") if self.measure is None else _("measure {id}").format(id=self.measure)
        return _("{where}, {field}: {detail}").format(
            where=where, field=self.field, detail=self.detail
        )


@dataclass(frozen=True)
class LedgerMerge:
    """The merged ledger, once with our value for each conflict and once with theirs.

    Without conflicts the two are the same ledger.
    """

    ours: Ledger
    theirs: Ledger
    conflicts: tuple[MergeConflict, ...] = ()


@dataclass(frozen=True)
class TextMerge:
    text: str
    conflicts: tuple[MergeConflict, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_texts(base: str, ours: str, theirs: str) -> TextMerge:
    """Merge three ledger texts; the result is our text, edited.

    An empty base (the file was added on both sides) means no common ancestor.
    A text that is not a valid ledger raises InvalidLedger.
    """
    from measures.model.parse import parse_ledger

    bom = BOM if ours.startswith(BOM) else ""
    ours = ours.removeprefix(BOM)
    base_ledger = parse_ledger(base, _("the common ancestor (base)")) if base.strip() else None
    ours_ledger = parse_ledger(ours, _("our version"))
    theirs_ledger = parse_ledger(theirs, _("their version"))
    merged = merge_ledgers(base_ledger, ours_ledger, theirs_ledger)
    as_ours = write_merged(ours, ours_ledger, merged.ours)
    if not merged.conflicts:
        return TextMerge(bom + as_ours)
    as_theirs = write_merged(ours, ours_ledger, merged.theirs)
    # Marked in the plain form, then given our line ends again: a CRLF ledger's
    # marker lines end in CRLF too, as every other line of it does.
    from measures.ledger.tomledit import plain_layout

    plain_ours, restore = plain_layout(as_ours)
    plain_theirs, _restore = plain_layout(as_theirs)
    return TextMerge(bom + restore(with_markers(plain_ours, plain_theirs)), merged.conflicts)


def merge_ledgers(base: Ledger | None, ours: Ledger, theirs: Ledger) -> LedgerMerge:
    """Merge per measure id and per field; see the module's docstring for the rules."""
    conflicts: list[MergeConflict] = []
    plan_ours, plan_theirs, plan_conflicts = _merge_record(
        None, base.plan if base else None, ours.plan, theirs.plan
    )
    conflicts += plan_conflicts

    base_by_id = {m.id: m for m in base.measures} if base else {}
    ours_by_id = {m.id: m for m in ours.measures}
    theirs_by_id = {m.id: m for m in theirs.measures}
    as_ours: list[Measure] = []
    as_theirs: list[Measure] = []
    # Our measures in our order, then the ones only theirs has, in their order.
    for ident in [*ours_by_id, *(i for i in theirs_by_id if i not in ours_by_id)]:
        mine, yours = ours_by_id.get(ident), theirs_by_id.get(ident)
        was = base_by_id.get(ident)
        if mine is not None and yours is not None:
            one, other, found = _merge_record(ident, was, mine, yours)
            conflicts += found
            as_ours.append(one)
            as_theirs.append(other)
        elif was is None:  # added on one side only
            added = mine if mine is not None else yours
            assert added is not None
            as_ours.append(added)
            as_theirs.append(added)
        elif (mine if mine is not None else yours) == was:
            pass  # deleted on one side and left alone on the other: deleted
        else:
            conflicts.append(_deleted_and_changed(ident, was, mine, yours))
            if mine is not None:
                as_ours.append(mine)
            if yours is not None:
                as_theirs.append(yours)

    return LedgerMerge(
        Ledger(plan=plan_ours, measures=tuple(as_ours)),
        Ledger(plan=plan_theirs, measures=tuple(as_theirs)),
        tuple(conflicts),
    )


def _deleted_and_changed(
    ident: int, was: Measure, mine: Measure | None, yours: Measure | None
) -> MergeConflict:
    changed = mine or yours
    assert changed is not None
    fields = ", ".join(_changed_fields(was, changed))
    if mine is None:
        detail = _("deleted on ours, changed on theirs ({fields})").format(fields=fields)
    else:
        detail = _("changed on ours ({fields}), deleted on theirs").format(fields=fields)
    return MergeConflict(ident, "record", detail)


def _changed_fields(before: Measure, after: Measure) -> list[str]:
    return [name for name in field_names(Measure) if getattr(before, name) != getattr(after, name)]


def _merge_record(
    ident: int | None, base: R | None, ours: R, theirs: R
) -> tuple[R, R, list[MergeConflict]]:
    """The record merged field by field: (with our values, with theirs, conflicts)."""
    kind = type(ours)
    take_ours: dict[str, Any] = {}
    take_theirs: dict[str, Any] = {}
    conflicts: list[MergeConflict] = []
    done: set[str] = set()
    for name in field_names(kind):
        if name in done or name in ("id", "log"):
            continue
        unit = _TOGETHER.get(name, (name,))
        done.update(unit)
        was = _values(base, unit)
        mine, yours = _values(ours, unit), _values(theirs, unit)
        if mine == yours or was == yours:
            chosen_ours = chosen_theirs = mine
        elif was == mine:
            chosen_ours = chosen_theirs = yours
        else:
            chosen_ours, chosen_theirs = mine, yours
            conflicts.append(MergeConflict(ident, unit[0], _differ(unit, was, mine, yours)))
        take_ours.update(zip(unit, chosen_ours, strict=True))
        take_theirs.update(zip(unit, chosen_theirs, strict=True))
    if isinstance(ours, Measure):
        assert isinstance(theirs, Measure)
        assert base is None or isinstance(base, Measure)
        log = merge_logs(base.log if base else (), ours.log, theirs.log)
        take_ours.update(id=ours.id, log=log)
        take_theirs.update(id=ours.id, log=log)
    try:
        return (_validated(kind, take_ours), _validated(kind, take_theirs), conflicts)
    except ValidationError as error:
        # A rule that spans fields was broken by taking them from different sides.
        problem = error.errors()[0]["msg"]
        detail = _("the two sides' changes do not fit together ({problem}); keep one side").format(
            problem=problem
        )
        return ours, theirs, [*conflicts, MergeConflict(ident, "record", detail)]


def _values(record: Record | None, unit: Sequence[str]) -> tuple[Any, ...]:
    if record is None:
        return tuple(ABSENT for _ in unit)
    return tuple(getattr(record, name) for name in unit)


def _validated(kind: type[R], values: dict[str, Any]) -> R:
    # Validated again, not copied: the record's own rules must hold for the mix.
    given = {name: value for name, value in values.items() if value is not None}
    record = validate.measure(given) if kind is Measure else validate.plan(given)
    assert isinstance(record, kind)
    return record


def merge_logs(
    base: Sequence[LogEntry], ours: Sequence[LogEntry], theirs: Sequence[LogEntry]
) -> tuple[LogEntry, ...]:
    """Every entry either side added, none that either side removed, oldest first.

    A log that only one side changed is taken as that side has it, unsorted.
    """
    if tuple(theirs) == tuple(base):
        return tuple(ours)
    if tuple(ours) == tuple(base):
        return tuple(theirs)
    removed = [entry for entry in base if entry not in ours or entry not in theirs]
    merged: list[LogEntry] = []
    for entry in (*ours, *theirs):
        if entry not in removed and entry not in merged:
            merged.append(entry)
    # A stable sort: entries made at the same moment keep our order, then theirs.
    return tuple(sorted(merged, key=lambda entry: entry.at))


def _differ(
    unit: Sequence[str], was: tuple[Any, ...], mine: tuple[Any, ...], yours: tuple[Any, ...]
) -> str:
    ours_text, theirs_text = _show(unit, mine), _show(unit, yours)
    if was[0] is ABSENT:
        return _("ours {ours}, theirs {theirs} (added on both sides)").format(
            ours=ours_text, theirs=theirs_text
        )
    return _("ours {ours}, theirs {theirs} (was {was})").format(
        ours=ours_text, theirs=theirs_text, was=_show(unit, was)
    )


def _show(unit: Sequence[str], values: tuple[Any, ...]) -> str:
    """`"区税务局"`, or for status with its day `done (done_on 2020-12-20)`."""
    more = [
        f"{name} {_value(value)}"
        for name, value in zip(unit[1:], values[1:], strict=True)
        # An owner not inferred is the usual case: said only when it is.
        if value is not None and not (name == "owner_basis" and value == "")
    ]
    return _value(values[0]) + (f" ({', '.join(more)})" if more else "")


def _value(value: Any) -> str:
    if value is None:
        return _("(none)")
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | tuple):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_merged(text: str, old: Ledger, new: Ledger) -> str:
    """`new` written by editing `text`, the text of `old`.

    `new` holds the measures of `old` that it keeps, in the same order, then any
    new ones; the plan may differ too.
    """
    from measures.ledger.tomledit import apply_changes, edit_plan, plain_layout, remove_measures

    text, restore = plain_layout(text)
    kept = {m.id for m in new.measures}
    gone = [m.id for m in old.measures if m.id not in kept]
    if gone:
        text = remove_measures(text, old, gone)
        old = replace(old, measures=tuple(m for m in old.measures if m.id in kept))
    if new.plan != old.plan:
        text = edit_plan(text, old.plan, new.plan)
        old = replace(old, plan=new.plan)
    return restore(apply_changes(text, old, new))


def with_markers(ours: str, theirs: str) -> str:
    """Our text with the lines that differ in theirs set between conflict markers.

    The texts are compared record by record, and all the differences within one
    record make one section, so keeping either side of a section whole gives a
    consistent record (a status with its done_on).
    """
    mine, yours = _records(ours), _records(theirs)
    # Records are few and nearly all different from each other: a fast comparison.
    matcher = difflib.SequenceMatcher(None, mine, yours, autojunk=False)
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces += mine[i1:i2]
        elif i2 - i1 == j2 - j1:  # records edited in place: a section for each
            for one, other in zip(mine[i1:i2], yours[j1:j2], strict=True):
                pieces.append(_section(one, other))
        else:  # records added or removed: one section for the run
            pieces.append(_section("".join(mine[i1:i2]), "".join(yours[j1:j2])))
    return "".join(pieces)


def _records(text: str) -> list[str]:
    """The text cut before each `[[measures]]` header: the part above, then the records."""
    from measures.model.headers import record_starts

    cuts = [0, *record_starts(text), len(text)]
    return [text[start:end] for start, end in itertools.pairwise(cuts)]


def _section(ours: str, theirs: str) -> str:
    """The lines that differ between the two texts, between markers; the rest as it is."""
    mine, yours = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    if mine == yours:
        return ours
    same = min(len(mine), len(yours))
    head = next((n for n in range(same) if mine[n] != yours[n]), same)
    tail = next(
        (n for n in range(same - head) if mine[-1 - n] != yours[-1 - n]),
        same - head,
    )
    differing = [
        MARK_OURS,
        *_lines(mine[head : len(mine) - tail]),
        MARK_SPLIT,
        *_lines(yours[head : len(yours) - tail]),
        MARK_THEIRS,
    ]
    return "".join([*mine[:head], *differing, *mine[len(mine) - tail :]])


def _lines(lines: Iterable[str]) -> list[str]:
    """The lines, the last one ended with a newline so a marker starts its own line."""
    result = list(lines)
    if result and not result[-1].endswith("\n"):
        result[-1] += "\n"
    return result
