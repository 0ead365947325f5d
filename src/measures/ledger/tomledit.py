"""Write a changed ledger back into its TOML text, touching only what changed.

A measure that changed has its own `[[measures]]` block re-written with tomlkit,
which keeps that block's comments, blank lines, key order and quoting; every
other byte of the file is left as it was. tomlkit is slow on a whole large file,
so it only ever sees one block, unless the file is laid out in a way the block
scan cannot follow (an inline array of measures, say); then the whole document
goes through tomlkit, which is slower but just as careful. And a block laid out
plainly, edited plainly, is written as text (blockedit.py) to the bytes tomlkit
would make, without importing tomlkit at all.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import tomllib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from measures.errors import InvalidLedger
from measures.i18n import _
from measures.ledger.blockedit import edit_block
from measures.model import wellformed
from measures.model.headers import HEADER as _HEADER
from measures.model.headers import HEADER_BYTES, record_starts
from measures.model.records import Ledger, Measure, Plan, as_dict

# Blank and comment lines at the end of a block sit above the next record and
# belong with it: a new log entry goes before them, not after.
_TRAILING_TRIVIA = re.compile(r"(?:\n[ \t]*(?:#[^\n]*)?)*\n?\Z")


class _LayoutNotFollowed(Exception):
    """The block scan cannot map the text onto the ledger; use the whole document."""


# What an edit replaced: at `start` in the new text, `length` characters stand
# where the old text had `old`. Putting `old` back at each gives the old text.
Splice = tuple[int, int, str]


BOM = "\ufeff"


def plain_layout(text: str) -> tuple[str, Callable[[str], str]]:
    """`text` without a byte-order mark and with LF line ends, and how to put them back.

    A ledger saved on Windows (Notepad, WPS) may start with a byte-order mark and
    end its lines with CRLF. The edits here work on the plain form; the text they
    make is given the file's own mark and line ends again, so that every line
    left alone keeps its bytes. Line ends are only changed back and forth when
    every one of them is CRLF: a file that mixes them is edited as it stands.
    """
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    crlf = "\r\n" in body and body.count("\r\n") == body.count("\n")
    if crlf:
        body = body.replace("\r\n", "\n")

    def restore(edited: str) -> str:
        if crlf:
            edited = edited.replace("\n", "\r\n")
        return BOM + edited if bom else edited

    return body, restore


def apply_changes(text: str, old: Ledger, new: Ledger) -> str:
    """The text of `new`, made by editing `text` (the text of `old`) in place."""
    return apply_changes_spliced(text, old, new)[0]


def apply_changes_spliced(text: str, old: Ledger, new: Ledger) -> tuple[str, list[Splice] | None]:
    """The new text and the splices that made it (None where the whole document was edited).

    A text with a byte-order mark or CRLF line ends is edited in its plain form
    (`plain_layout`) and has no splices: they would count in the plain form.
    """
    edited = apply_edit(text, old, new)
    return edited.text, edited.splices


@dataclass(frozen=True)
class Edited:
    """What `apply_edit` made: the new text, and what a snapshot of it can keep.

    `starts` are where the new text's records begin in its plain form
    (`plain_layout`), as `record_starts` would find them, or None where the
    whole document was edited; `changed` the indexes of the records written.
    """

    text: str
    splices: list[Splice] | None
    starts: list[int] | None
    changed: list[int]


def apply_edit(text: str, old: Ledger, new: Ledger, starts: Sequence[int] | None = None) -> Edited:
    """`apply_changes_spliced`, given where the records of `text` begin, if known.

    `starts` (from the snapshot of these bytes) spare the scan of the whole text
    for its headers; each one used is checked to be a header line where the
    record before it ends, and if any is not, or a block there is not the record
    expected, the text is scanned as before. A hint can only ever cost time.
    """
    if len(new.measures) < len(old.measures) or any(
        a.id != b.id for a, b in zip(old.measures, new.measures, strict=False)
    ):
        raise ValueError("measures can be changed or appended, not removed or reordered")
    plain, restore = plain_layout(text)
    changed = [
        index
        for index, (before, after) in enumerate(zip(old.measures, new.measures, strict=False))
        if after is not before and after != before
    ]
    changed += range(len(old.measures), len(new.measures))
    result: str | None = None
    splices: list[Splice] | None = None
    new_starts: list[int] | None = None
    try:
        edited, splices, new_starts = _apply_hinted(plain, old, new, starts, changed)
        result = restore(edited)
        # The blocks written were each read back alone; a file small enough is
        # read back whole as well (a big one costs too long to parse on every write).
        if len(result) <= FULL_CHECK_LIMIT and not reads_as(result, new, changed):
            result = None
    except _LayoutNotFollowed:
        pass
    if result is None:
        splices = new_starts = None
        try:
            result = restore(_apply_to_document(plain, old, new))
        except Exception:  # a layout tomlkit cannot edit: refused below
            result = None
        if result is None or not reads_as(result, new, changed):
            raise _refused()
    return Edited(result, splices if plain == text else None, new_starts, changed)


def _apply_hinted(
    text: str, old: Ledger, new: Ledger, hint: Sequence[int] | None, changed: list[int]
) -> tuple[str, list[Splice], list[int] | None]:
    """`_apply_by_block` on the starts hinted, if they hold; else on the starts scanned."""
    if hint is not None and hinted_starts_hold(text, hint, len(old.measures), changed):
        with contextlib.suppress(_LayoutNotFollowed):
            return _apply_by_block(text, old, new, list(hint))
    return _apply_by_block(text, old, new, None)


def hinted_starts_hold(text: str, starts: Sequence[int], count: int, changed: list[int]) -> bool:
    """Whether `starts` can stand for `record_starts(text)` for the records `changed`.

    There must be one per record, rising, within the text; each record changed
    must begin, and end, at a header line (or at the end of the text). Those
    of the records not changed are only shifted, for the next write to check.
    The starts come from the snapshot of these very bytes, bound to them by
    its hash: this guards against a damaged one, not against the text.
    """
    if len(starts) != count or (count and not 0 <= starts[0] <= starts[-1] < len(text)):
        return False
    if not all(earlier < later for earlier, later in itertools.pairwise(starts)):
        return False
    for index in changed:
        if index >= count:
            continue  # appended: no old span
        start = starts[index]
        end = starts[index + 1] if index + 1 < count else len(text)
        if not (0 <= start < end <= len(text)) or _HEADER.match(text, start) is None:
            return False
        if end < len(text) and _HEADER.match(text, end) is None:
            return False
    return True


# Up to this size (about 850 measures) the whole new text is parsed again after
# every edit, on top of the check of each block written: at most some 70 ms.
# Beyond it the block scan's account of where records start stands alone (it
# follows strings and values wherever a header could hide); a full parse would
# more than double the time of `done` on 10,000 measures.
FULL_CHECK_LIMIT = 256 << 10


# What is read back is validated as a ledger read is: without pydantic when it is
# well formed (`wellformed`), as it nearly always is; by the pydantic models, imported
# only then, when it is not. Either way a table that is no record is a ValidationError.


def _measure_of(data: Any) -> Measure:
    """The measure of a TOML table read back; ValidationError (a ValueError) if it is not one."""
    record = wellformed.measure(data)
    if record is None:
        from measures.model import validate

        record = validate.measure(data)
    return record


def _plan_of(data: Any) -> Plan:
    """The plan of a TOML table read back; ValidationError (a ValueError) if it is not one."""
    record = wellformed.plan(data)
    if record is None:
        from measures.model import validate

        record = validate.plan(data)
    return record


def _ledger_of(data: Any) -> Ledger:
    """The ledger of a TOML document read back; ValidationError (a ValueError) if it is not one."""
    record = wellformed.ledger(data)
    if record is None:
        from measures.model import validate

        record = validate.ledger(data)
    return record


def reads_as(text: str, intended: Ledger, changed: Collection[int]) -> bool:
    """Whether `text` parses as TOML into `intended`'s plan and records, in order.

    Every record's id is compared; the records at `changed` (the ones written)
    are validated and compared in full, the others were read before.
    """
    try:
        data = tomllib.loads(text.removeprefix(BOM))
        records = data.get("measures", [])
        if (
            set(data) - {"plan", "measures"}
            or not isinstance(records, list)
            or len(records) != len(intended.measures)
            or _plan_of(data.get("plan")) != intended.plan
        ):
            return False
        for record, measure in zip(records, intended.measures, strict=True):
            if not isinstance(record, dict) or record.get("id") != measure.id:
                return False
        return all(_measure_of(records[index]) == intended.measures[index] for index in changed)
    except (ValueError, RecursionError):  # TOMLDecodeError and ValidationError are ValueErrors
        return False


def _refused() -> InvalidLedger:
    return InvalidLedger(
        _(
            "the change cannot be written into this file's layout so that it reads back "
            "as intended; nothing was changed."
        ),
        _(
            "Run `measures check`, and rewrite the unusual part by hand (a [[measures]] line "
            "inside a multi-line string, say)."
        ),
    )


def _apply_by_block(
    text: str, old: Ledger, new: Ledger, starts: list[int] | None = None
) -> tuple[str, list[Splice], list[int] | None]:
    """The text edited block by block, its splices, and where its records now begin.

    `starts` are where the records of `text` begin (scanned when not given).
    """
    if starts is None:
        starts = record_starts(text)
    if len(starts) != len(old.measures):
        raise _LayoutNotFollowed
    changes = [
        (index, before, after)
        for index, (before, after) in enumerate(zip(old.measures, new.measures, strict=False))
        if not (after is before or after == before)
    ]
    result, splices, new_starts = _edit_in_place(text, starts, changes)
    added = new.measures[len(old.measures) :]
    located: list[int] | None = new_starts
    if added:
        kept = len(result)
        result = _append_blocks(result, added)
        splices.append((kept, len(result) - kept, ""))
        _check_added(result[kept:], added)
        appended = [kept + start for start in record_starts(result[kept:])]
        located = new_starts + appended if len(appended) == len(added) else None
    return result, splices, located


# A record changed in place: its index among the records, and the record before and after.
Change = tuple[int, Measure, Measure]


def _edit_in_place(
    text: str, starts: Sequence[int], changes: Sequence[Change]
) -> tuple[str, list[Splice], list[int]]:
    """`text` with the records `changes` name (in file order) edited block by block; its
    splices, and where its records now begin."""
    count = len(starts)
    edits: list[tuple[int, str, str]] = []  # where in the old text, the old body, the new
    splices: list[Splice] = []
    new_starts: list[int] = []
    position = written = 0  # in the old text; length of the new text so far
    kept_from = 0  # the first record whose new start is not yet in new_starts
    for index, before, after in changes:
        end = starts[index + 1] if index + 1 < count else len(text)
        block = text[starts[index] : end]
        body, trailing = _split_trailing(block)
        new_body = _edit_block(body, before, after)
        shift = written - position  # how far the text before this record has moved
        new_starts += [start + shift for start in starts[kept_from : index + 1]]
        kept_from = index + 1
        written += starts[index] - position
        splices.append((written, len(new_body), body))
        written += len(new_body) + len(trailing)
        edits.append((starts[index], body, new_body))
        position = end
    shift = written - position
    new_starts += [start + shift for start in starts[kept_from:]]
    return _spliced(text, edits), splices, new_starts


def _spliced(text: str, edits: Sequence[tuple[int, str, str]]) -> str:
    """`text` with each old body, at its place, swapped for the new one.

    One edit (the usual write) is made by `str.replace`, which builds the new
    text and nothing more, where the old body first stands at its place (as it
    all but always does): a big ledger's text is then held twice, not three
    times over (its slices, then their join).
    """
    if len(edits) == 1:
        ((place, old, new),) = edits
        if text.find(old) == place:
            return text.replace(old, new, 1)
    pieces: list[str] = []
    position = 0
    for place, old, new in edits:
        pieces += [text[position:place], new]
        position = place + len(old)
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass(frozen=True)
class EditedBytes:
    """What `edit_records` made: the new bytes in pieces, in order (most of them views
    of the old bytes), the splices, and where the new text's records begin, as
    characters (`starts`) and as bytes (`offsets`)."""

    pieces: list[bytes | memoryview]
    splices: list[Splice]
    starts: list[int]
    offsets: list[int]


def edit_records(
    raw: bytes, starts: Sequence[int], offsets: Sequence[int], changes: Sequence[Change]
) -> EditedBytes | None:
    """A ledger's bytes with the records `changes` names (in file order) edited in place.

    For a write that read only the measures it changes (`store.change_ledger`
    with `ids`), on a ledger whose snapshot knows where each record begins as a
    character (`starts`) and as a byte (`offsets`): only the blocks changed are
    decoded, edited (`_edit_block`, which reads each one back alone, as
    `apply_edit` does; a big ledger's text is not parsed again there either,
    `FULL_CHECK_LIMIT`) and encoded, and the rest of the bytes are not even
    copied here. None where the layout is not followed (a byte-order mark or
    CRLF line ends, starts that do not hold, a block that does not stand
    alone): the caller then reads every record and edits as ever.
    """
    count = len(starts)
    if len(offsets) != count or raw.startswith(BOM.encode()) or b"\r\n" in raw:
        return None
    view = memoryview(raw)
    pieces: list[bytes | memoryview] = []
    splices: list[Splice] = []
    shifts: list[tuple[int, int, int]] = []  # after which record, by how many chars and bytes
    chars = octets = 0  # how far the new text has moved so far
    position = 0  # in the old bytes
    for index, before, after in changes:
        if not 0 <= index < count:
            return None
        begin, end = offsets[index], offsets[index + 1] if index + 1 < count else len(raw)
        try:
            block = raw[begin:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if (index + 1 < count and starts[index + 1] - starts[index] != len(block)) or not (
            _HEADER.match(block) and (end == len(raw) or HEADER_BYTES.match(raw, end))
        ):
            return None  # the starts do not hold
        body, _trailing = _split_trailing(block)
        try:
            new_body = _edit_block(body, before, after)
        except _LayoutNotFollowed:
            return None
        written, old_length = new_body.encode("utf-8"), len(body.encode("utf-8"))
        splices.append((starts[index] + chars, len(new_body), body))
        pieces += [view[position:begin], written]
        position = begin + old_length
        chars += len(new_body) - len(body)
        octets += len(written) - old_length
        shifts.append((index, chars, octets))
    pieces.append(view[position:])
    return EditedBytes(pieces, splices, _shifted(starts, shifts, 1), _shifted(offsets, shifts, 2))


def _shifted(places: Sequence[int], shifts: Sequence[tuple[int, int, int]], by: int) -> list[int]:
    """`places` moved, after each record of `shifts`, by its shift so far (field `by`)."""
    moved: list[int] = []
    kept_from, shift = 0, 0
    for index, *so_far in shifts:
        moved += [place + shift for place in places[kept_from : index + 1]]
        kept_from, shift = index + 1, so_far[by - 1]
    moved += [place + shift for place in places[kept_from:]]
    return moved


def _check_added(blocks: str, expected: tuple[Measure, ...]) -> None:
    """Refuse appended blocks that do not read back, alone, as the records added."""
    try:
        records = tomllib.loads(blocks).get("measures", [])
        if len(records) != len(expected) or any(
            _measure_of(record) != measure
            for record, measure in zip(records, expected, strict=True)
        ):
            raise _LayoutNotFollowed
    except (ValueError, RecursionError) as error:
        raise _LayoutNotFollowed from error


def _split_trailing(block: str) -> tuple[str, str]:
    match = _TRAILING_TRIVIA.search(block)
    assert match is not None  # the pattern matches the empty string at the end
    cut = match.start()
    # Keep the body's own final newline with the body.
    if cut < len(block) and block[cut] == "\n":
        cut += 1
    return block[:cut], block[cut:]


def _edit_block(body: str, before: Measure, after: Measure) -> str:
    # The plain-text edit first: the same bytes as tomlkit's, or None where it declines.
    new_body = edit_block(body, before.to_toml(), _writable(after.to_toml()), _PLACE_AFTER)
    if new_body is None:
        new_body = _edit_block_with_tomlkit(body, before, after)
    _check_block(new_body, after)
    return new_body


def _edit_block_with_tomlkit(body: str, before: Measure, after: Measure) -> str:
    import tomlkit

    try:
        document = tomlkit.parse(body)
        records = document["measures"]
    except Exception as error:  # a block that does not stand alone as TOML
        raise _LayoutNotFollowed from error
    if len(records) != 1 or records[0].get("id") != before.id:
        raise _LayoutNotFollowed
    _edit_table(records[0], before, after)
    return document.as_string()


def _edit_table(table: Any, before: Measure, after: Measure) -> None:
    import tomlkit

    old = before.to_toml()
    new = _writable(after.to_toml())
    old_log = old.pop("log", [])
    new_log = new.pop("log", [])
    for key, value in new.items():
        if key not in old or old[key] != value:
            _set_key(table, key, value)
    for key in old:
        if key not in new and key in table:
            del table[key]
    if new_log == old_log:
        return
    # An inline measure, or a log written as an inline array, takes inline entries.
    inline = isinstance(table, tomlkit.items.InlineTable) or (
        "log" in table and not isinstance(table["log"], tomlkit.items.AoT)
    )
    if new_log[: len(old_log)] == old_log and "log" in table:
        for entry in new_log[len(old_log) :]:
            if not inline:
                table["log"][-1].add(tomlkit.nl())  # a blank line between log tables
            table["log"].append(_log_table(entry, inline))
        return
    entries = tomlkit.array() if inline else tomlkit.aot()
    for entry in new_log:
        entries.append(_log_table(entry, inline))
    if "log" in table:
        del table["log"]
    table["log"] = entries


# Where a key a record gains goes, rather than at the end: after the first of
# these keys that the table has. A wording sits beside its deadline.
_PLACE_AFTER = {
    "deadline_text": ("deadline",),
    "deadline": ("partners", "owner", "title_en", "title"),
}


def _set_key(table: Any, key: str, value: Any) -> None:
    """`table[key] = value`; a key the table lacks put after its neighbour, if it has one."""
    if key not in table:
        neighbour = next((k for k in _PLACE_AFTER.get(key, ()) if k in table), None)
        insert_after = getattr(getattr(table, "value", None), "_insert_after", None)
        if neighbour is not None and insert_after is not None:  # tomlkit's Container
            insert_after(neighbour, key, value)
            return
    table[key] = value


def _log_table(entry: dict[str, Any], inline: bool) -> Any:
    """A log entry as a table, inline where its measure is an inline table."""
    import tomlkit

    table = tomlkit.inline_table() if inline else tomlkit.table()
    for key, value in entry.items():
        if key == "evidence":  # one line each: evidence = [{path = "佐证/1.pdf", sha256 = "…"}]
            items = tomlkit.array()
            for item in value:
                one = tomlkit.inline_table()
                one.update(item)
                items.append(one)
            value = items.multiline(len(value) > 1)
        table[key] = value
    return table


def _check_block(body: str, expected: Measure) -> None:
    """Refuse to write a block that does not read back as the intended record."""
    try:
        records = tomllib.loads(body).get("measures", [])
        if len(records) != 1 or _measure_of(records[0]) != expected:
            raise _LayoutNotFollowed
    except (ValueError, RecursionError) as error:
        raise _LayoutNotFollowed from error


def _append_blocks(text: str, measures: tuple[Measure, ...]) -> str:
    blocks = "\n".join(_new_block(measure) for measure in measures)
    if text and not text.endswith("\n"):
        text += "\n"
    separator = "\n" if text and not text.endswith("\n\n") else ""
    return text + separator + blocks


def _apply_to_document(text: str, old: Ledger, new: Ledger) -> str:
    import tomlkit

    document = tomlkit.parse(text)
    records = document["measures"]
    for index, (before, after) in enumerate(zip(old.measures, new.measures, strict=False)):
        if after != before:
            _edit_table(records[index], before, after)
    for measure in new.measures[len(old.measures) :]:
        records.append(_writable(measure.to_toml()))
    return document.as_string()


def _writable(data: dict[str, Any]) -> dict[str, Any]:
    """The record's values as TOML can hold them: an `at` whose UTC offset has seconds
    (local mean time: Monrovia until 1972) in UTC, the same instant; TOML offsets
    are hours and minutes."""
    for entry in data.get("log", ()):
        at = entry.get("at")
        offset = at.utcoffset() if isinstance(at, datetime) else None
        if offset is not None and offset.seconds % 60:
            entry["at"] = at.astimezone(UTC)
    return data


def _new_block(measure: Measure) -> str:
    """A `[[measures]]` block, its log as `[[measures.log]]` tables, dates as TOML dates."""
    data = _writable(measure.to_toml())
    log = data.pop("log", [])
    parts = ["[[measures]]\n", _key_values(data)]
    for entry in log:
        parts += ["\n[[measures.log]]\n", _key_values(entry)]
    return "".join(parts)


def _key_values(data: dict[str, Any]) -> str:
    import tomli_w

    lines = []
    for key, value in data.items():
        if isinstance(value, datetime):
            # RFC 3339 with a T, as tomlkit and the ledger format write it.
            lines.append(f"{key} = {value.isoformat()}\n")
        elif isinstance(value, list):
            # One line, as people write a short list of units (or of evidence).
            items = ", ".join(_inline_value(item) for item in value)
            lines.append(f"{key} = [{items}]\n")
        else:
            lines.append(tomli_w.dumps({key: value}))
    return "".join(lines)


def _inline_value(value: Any) -> str:
    """A value as TOML writes it on one line: a table as an inline table."""
    import tomli_w

    if isinstance(value, dict):
        pairs = ", ".join(f"{key} = {_inline_value(item)}" for key, item in value.items())
        return f"{{{pairs}}}"
    return tomli_w.dumps({"v": value})[4:].rstrip("\n")


def new_document(ledger: Ledger) -> str:
    """The TOML text of a ledger written from scratch (for a new file)."""
    import tomli_w

    # The keys at their defaults are left out (None, or "" for the provenance texts).
    plan = {
        key: value for key, value in as_dict(ledger.plan, exclude_none=True).items() if value != ""
    }
    head = tomli_w.dumps({"plan": plan})
    if not ledger.measures:
        return head
    return _append_blocks(head, ledger.measures)


def edit_plan(text: str, old: Plan, new: Plan) -> str:
    """The text with its `[plan]` table changed from `old` to `new`, touching only those keys."""
    if new == old:
        return text
    starts = record_starts(text)
    head_end = starts[0] if starts else len(text)
    try:
        head = _edit_plan_table(text[:head_end], old, new)
        if _plan_of(tomllib.loads(head)["plan"]) == new:
            return head + text[head_end:]
    except Exception:  # the plan is not above the first record; edit the whole document
        pass
    result = _edit_plan_table(text, old, new)
    if _plan_of(tomllib.loads(result)["plan"]) != new:
        raise _refused()
    return result


def _edit_plan_table(text: str, old: Plan, new: Plan) -> str:
    import tomlkit

    document = tomlkit.parse(text)
    table = document["plan"]
    before = as_dict(old, exclude_none=True)
    after = as_dict(new, exclude_none=True)
    for key, value in after.items():
        if before.get(key) != value:
            table[key] = value
    for key in before:
        if key not in after and key in table:
            del table[key]
    return document.as_string()


def remove_measures(text: str, ledger: Ledger, ids: Collection[int]) -> str:
    """The text of `ledger` without the measures `ids`.

    Each record goes with the blank lines and comments just above it, which
    introduce it; a comment that introduces the next record stays.
    """
    gone = set(ids)
    kept = replace(ledger, measures=tuple(m for m in ledger.measures if m.id not in gone))
    starts = record_starts(text)
    if len(starts) == len(ledger.measures):
        result = _cut_blocks(text, starts, [m.id in gone for m in ledger.measures])
        if _ledger_of(tomllib.loads(result)) == kept:
            return result
    import tomlkit

    document = tomlkit.parse(text)
    records = document["measures"]
    for index in reversed(range(len(ledger.measures))):
        if ledger.measures[index].id in gone:
            del records[index]
    result = document.as_string()
    if not reads_as(result, kept, range(len(kept.measures))):
        raise _refused()
    return result


def _cut_blocks(text: str, starts: list[int], cut: list[bool]) -> str:
    ends = [*starts[1:], len(text)]
    # Where each record's own lines end; what follows up to the next header is trivia.
    body_ends = [
        start + len(_split_trailing(text[start:end])[0])
        for start, end in zip(starts, ends, strict=True)
    ]
    pieces: list[str] = []
    position = 0
    for index, remove in enumerate(cut):
        if not remove:
            continue
        begin = max(position, body_ends[index - 1] if index else starts[0])
        finish = body_ends[index]
        if not index:
            # The first record: drop the blank lines after it too, so the header
            # above keeps a single blank line before the next record.
            while text.startswith("\n", finish) and text[:begin].endswith("\n\n"):
                finish += 1
        pieces.append(text[position:begin])
        position = max(position, finish)
    pieces.append(text[position:])
    return "".join(pieces)
