"""The undo journal: for each write, what it takes to put the text before it back.

Beside a ledger `measures.toml` the tool keeps `.measures/measures.toml.undo`, one JSON
line a write, oldest first, the newest `MAX_CHANGES` of them. A line holds
what the change was, as data (`what_changed`: the log entries it added, or
the ids it touched; the words for it are made when `undo` shows them), a
SHA-256 of the text before and after the write, and
the reverse edits: the spans of the new text that the write replaced, each with
the old text that goes back there. A write touches only the records it changes,
so the spans are small however big the ledger is.

Nothing here takes the lock or writes the ledger; the store does, and checks the
hashes, so that an undo never overwrites an edit made by hand since.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from measures.errors import InvalidLedger
from measures.i18n import _
from measures.ledger.state import state_file
from measures.model.records import as_dict

if TYPE_CHECKING:
    from measures.model.records import Ledger

MAX_CHANGES = 100
# A change of more log entries than this (an import) is recorded as counts and
# id runs, at most RUNS_KEPT runs an action.
ENTRIES_IN_FULL = 10
RUNS_KEPT = 9


@dataclass(frozen=True)
class Edit:
    """Replace `length` characters of the new text at `start` with `text`."""

    start: int
    length: int
    text: str


@dataclass(frozen=True)
class Change:
    """One recorded write: what it did (JSON data, see `what_changed`), and how to go back."""

    what: Any
    before_sha256: str
    after_sha256: str
    edits: tuple[Edit, ...]


def journal_path(ledger: Path) -> Path:
    return state_file(ledger, "undo")


def digest(data: bytes) -> str:
    from measures.ledger.hashes import sha256_hex

    return sha256_hex(data)


def record(
    before: str,
    after: str,
    what: Any,
    splices: Sequence[tuple[int, int, str]] | None = None,
    after_data: bytes | None = None,
    before_data: bytes | None = None,
    before_sha256: str | None = None,
    after_sha256: str | None = None,
) -> Change:
    """The journal's account of a write that turned `before` into `after`.

    `splices`, where the writer knows them (start and length in `after`, the old
    text there), are the reverse edits already; else they are found by comparing.
    `after_data` and `before_data`, where the writer has them, are the texts encoded
    (spares encoding them again); `before_sha256` and `after_sha256`, their hashes,
    spare hashing them (and with `splices`, `before` need not be given at all).
    """
    edits = (
        tuple(Edit(start, length, old) for start, length, old in splices)
        if splices is not None
        else reverse_edits(before, after)
    )
    return Change(
        what=what,
        before_sha256=before_sha256
        or digest(before.encode("utf-8") if before_data is None else before_data),
        after_sha256=after_sha256
        or digest(after.encode("utf-8") if after_data is None else after_data),
        edits=edits,
    )


def what_changed(before: Ledger, after: Ledger) -> dict[str, Any]:
    """What a write did, as data for the journal; `history.describe_recorded` words it.

    - `{"entries": [[id, entry], ...]}`: the log entries the write added, each as
      its JSON fields, when there are at most ENTRIES_IN_FULL of them;
    - `{"actions": [{"action": a, "count": n, "runs": [[first, last], ...]}, ...]}`:
      more than that (an import), counted by action, ids as runs;
    - `{"edited": {"count": n, "runs": [...]}}`: measures changed with no entry;
    - `{}`: nothing a measure logs (the plan, say).
    """
    known = {measure.id: len(measure.log) for measure in before.measures}
    added = [
        (measure.id, entry)
        for measure in after.measures
        for entry in measure.log[known.get(measure.id, 0) :]
    ]
    if len(added) > ENTRIES_IN_FULL:
        by_action: dict[str, list[int]] = {}
        for ident, entry in added:
            ids = by_action.setdefault(entry.action.value, [])
            if not ids or ids[-1] != ident:
                ids.append(ident)
        return {
            "actions": [
                {"action": action, **_counted(sorted(set(ids)))}
                for action, ids in by_action.items()
            ]
        }
    if added:
        return {
            "entries": [
                [ident, as_dict(entry, json=True, exclude_none=True)] for ident, entry in added
            ]
        }
    old = {measure.id: measure for measure in before.measures}
    changed = sorted(m.id for m in after.measures if old.get(m.id) != m)
    return {"edited": _counted(changed)} if changed else {}


def _counted(ids: list[int]) -> dict[str, Any]:
    """Sorted ids as their count and their first RUNS_KEPT runs `[first, last]`."""
    runs: list[list[int]] = []
    for ident in ids:
        if runs and ident == runs[-1][1] + 1:
            runs[-1][1] = ident
        else:
            runs.append([ident, ident])
    return {"count": len(ids), "runs": runs[:RUNS_KEPT]}


def reverse_edits(before: str, after: str) -> tuple[Edit, ...]:
    """Edits that turn `after` back into `before`, one for each record that differs.

    Both texts are cut at their `[[measures]]` headers and compared piece by piece
    (a new measure joins the last piece); each differing piece gives one edit,
    trimmed to what lies between the common start and end. The cuts always
    partition both texts, so the edits are exact whatever the layout.
    """
    before_cuts, after_cuts = _cuts(before), _cuts(after)
    pieces = min(len(before_cuts), len(after_cuts))
    before_bounds = [*before_cuts[:pieces], len(before)]
    after_bounds = [*after_cuts[:pieces], len(after)]
    edits = []
    for index in range(pieces):
        old = before[before_bounds[index] : before_bounds[index + 1]]
        new = after[after_bounds[index] : after_bounds[index + 1]]
        if old == new:
            continue
        head = _common_prefix(old, new)
        tail = _common_suffix(old[head:], new[head:])
        edits.append(
            Edit(after_bounds[index] + head, len(new) - head - tail, old[head : len(old) - tail])
        )
    return tuple(edits)


def _cuts(text: str) -> list[int]:
    from measures.model.headers import record_starts

    return [0, *(start for start in record_starts(text) if start > 0)]


def _common_prefix(a: str, b: str) -> int:
    # A binary search over slices: comparisons run in C, not a Python loop a character.
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def apply_edits(text: str, edits: tuple[Edit, ...]) -> str:
    pieces = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        pieces += [text[position : edit.start], edit.text]
        position = edit.start + edit.length
    pieces.append(text[position:])
    return "".join(pieces)


def undo_text(current: str, change: Change) -> str:
    """The text before `change`, from `current`, the text the change wrote."""
    before = apply_edits(current, change.edits)
    if digest(before.encode("utf-8")) != change.before_sha256:
        raise InvalidLedger(
            _("the undo journal does not give back the text it recorded; nothing was changed."),
            _("Delete the undo journal beside the ledger to start afresh; use git to go back."),
        )
    return before


def dumps(changes: list[Change]) -> str:
    """The journal's text: the newest MAX_CHANGES changes, one JSON line each."""
    lines = [
        json.dumps(
            {
                "what": change.what,
                "before_sha256": change.before_sha256,
                "after_sha256": change.after_sha256,
                "edits": [[edit.start, edit.length, edit.text] for edit in change.edits],
            },
            ensure_ascii=False,
        )
        for change in changes[-MAX_CHANGES:]
    ]
    return "".join(line + "\n" for line in lines)


def loads(text: str, name: str) -> list[Change]:
    """The changes a journal's text holds, oldest first."""
    changes = []
    try:
        # Lines end with "\n" alone: JSON escapes it in a string, but not U+2028,
        # U+2029 or U+0085, which splitlines() would also take for line ends.
        for line in text.split("\n"):
            if not line.strip():
                continue
            data = json.loads(line)
            edits = tuple(Edit(int(s), int(n), str(t)) for s, n, t in data["edits"])
            # A journal written before changes were kept as data holds their words.
            what = data["what"] if "what" in data else {"words": str(data["summary"])}
            changes.append(
                Change(
                    what,
                    str(data["before_sha256"]),
                    str(data["after_sha256"]),
                    edits,
                )
            )
    # A number too big for a float or an int, JSON nested too deep, a line of the
    # wrong shape: all a damaged journal.
    except (ValueError, KeyError, TypeError, ArithmeticError, RecursionError) as error:
        raise JournalUnreadable(
            _("{path}: the undo journal cannot be read ({error}).").format(path=name, error=error),
            _("Delete it to start afresh; earlier changes can then be undone only with git."),
            reason=str(error),
        ) from None
    return changes


class JournalUnreadable(InvalidLedger):
    """A journal whose text does not read; `reason` says why, without the path."""

    def __init__(self, message: str, hint: str | None = None, reason: str = "") -> None:
        super().__init__(message, hint)
        self.reason = reason
