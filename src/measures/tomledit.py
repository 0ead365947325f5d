"""Write a changed ledger back into its TOML text, touching only what changed.

A measure that changed has its own `[[measures]]` block re-written with tomlkit,
which keeps that block's comments, blank lines, key order and quoting; every
other byte of the file is left as it was. tomlkit is slow on a whole large file,
so it only ever sees one block, unless the file is laid out in a way the block
scan cannot follow (an inline array of measures, say); then the whole document
goes through tomlkit, which is slower but just as careful.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from measures.model import Ledger, Measure

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*measures[ \t]*\]\][ \t]*(?:#[^\n]*)?$", re.MULTILINE)
# Blank and comment lines at the end of a block sit above the next record and
# belong with it: a new log entry goes before them, not after.
_TRAILING_TRIVIA = re.compile(r"(?:\n[ \t]*(?:#[^\n]*)?)*\n?\Z")


class _LayoutNotFollowed(Exception):
    """The block scan cannot map the text onto the ledger; use the whole document."""


def apply_changes(text: str, old: Ledger, new: Ledger) -> str:
    """The text of `new`, made by editing `text` (the text of `old`) in place."""
    if len(new.measures) < len(old.measures) or any(
        a.id != b.id for a, b in zip(old.measures, new.measures, strict=False)
    ):
        raise ValueError("measures can be changed or appended, not removed or reordered")
    try:
        return _apply_by_block(text, old, new)
    except _LayoutNotFollowed:
        return _apply_to_document(text, old, new)


def record_starts(text: str) -> list[int]:
    """Where each `[[measures]]` header line begins in `text`."""
    return [match.start() for match in _HEADER.finditer(text)]


def _apply_by_block(text: str, old: Ledger, new: Ledger) -> str:
    starts = record_starts(text)
    if len(starts) != len(old.measures):
        raise _LayoutNotFollowed
    ends = [*starts[1:], len(text)]
    pieces: list[str] = []
    position = 0
    for index, (before, after) in enumerate(zip(old.measures, new.measures, strict=False)):
        if after is before or after == before:
            continue
        block = text[starts[index] : ends[index]]
        body, trailing = _split_trailing(block)
        new_body = _edit_block(body, before, after)
        pieces += [text[position : starts[index]], new_body, trailing]
        position = ends[index]
    pieces.append(text[position:])
    result = "".join(pieces)
    added = new.measures[len(old.measures) :]
    if added:
        result = _append_blocks(result, added)
    return result


def _split_trailing(block: str) -> tuple[str, str]:
    match = _TRAILING_TRIVIA.search(block)
    assert match is not None  # the pattern matches the empty string at the end
    cut = match.start()
    # Keep the body's own final newline with the body.
    if cut < len(block) and block[cut] == "\n":
        cut += 1
    return block[:cut], block[cut:]


def _edit_block(body: str, before: Measure, after: Measure) -> str:
    import tomlkit

    try:
        document = tomlkit.parse(body)
        records = document["measures"]
    except Exception as error:  # a block that does not stand alone as TOML
        raise _LayoutNotFollowed from error
    if len(records) != 1 or records[0].get("id") != before.id:
        raise _LayoutNotFollowed
    _edit_table(records[0], before, after)
    new_body = document.as_string()
    _check_block(new_body, after)
    return new_body


def _edit_table(table: Any, before: Measure, after: Measure) -> None:
    import tomlkit

    old = before.to_toml()
    new = after.to_toml()
    old_log = old.pop("log", [])
    new_log = new.pop("log", [])
    for key, value in new.items():
        if key not in old or old[key] != value:
            table[key] = value
    for key in old:
        if key not in new and key in table:
            del table[key]
    if new_log == old_log:
        return
    # Entries go in as the log holds them: inline in an inline table or `log = [...]` array.
    inline = isinstance(table, tomlkit.items.InlineTable) or isinstance(
        table.get("log"), tomlkit.items.Array
    )
    if new_log[: len(old_log)] == old_log and "log" in table:
        for entry in new_log[len(old_log) :]:
            table["log"].append(_log_table(entry, inline))
        return
    entries = tomlkit.array() if inline else tomlkit.aot()
    for entry in new_log:
        entries.append(_log_table(entry, inline))
    if "log" in table:
        del table["log"]
    table["log"] = entries


def _log_table(entry: dict[str, Any], inline: bool) -> Any:
    """A log entry as a table, inline where its measure is an inline table."""
    import tomlkit

    table = tomlkit.inline_table() if inline else tomlkit.table()
    table.update(entry)
    return table


def _check_block(body: str, expected: Measure) -> None:
    """Refuse to write a block that does not read back as the intended record."""
    records = tomllib.loads(body).get("measures", [])
    if len(records) != 1 or Measure.model_validate(records[0]) != expected:
        raise _LayoutNotFollowed


def _append_blocks(text: str, measures: tuple[Measure, ...]) -> str:
    import tomlkit

    # tomlkit writes a new measure's log as [[measures.log]] tables, as edits append them.
    blocks = "\n".join(tomlkit.dumps({"measures": [m.to_toml()]}) for m in measures)
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
        records.append(measure.to_toml())
    result = document.as_string()
    if Ledger.model_validate(tomllib.loads(result)) != new:
        raise RuntimeError("the edited ledger does not read back as the intended one")
    return result
