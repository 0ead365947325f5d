"""What tomllib says is wrong with a ledger's text, in the language of the moment.

tomllib words its errors in English, with where they are: `Invalid statement (at
line 672, column 1)`. In English they are shown as they are; in Chinese each
known wording is translated and the place given as 第672行第1列. A wording this
module does not know (a later Python's) is shown as tomllib gave it.
"""

from __future__ import annotations

import re

from measures.i18n import N_, _, language

# tomllib's wordings, as Python 3.11 to 3.13 write them (`{}` a quoted value).
_FIXED = {
    "Invalid statement": N_("a line that is neither `key = value` nor a [table] header"),
    "Invalid value": N_("a value TOML cannot read (text needs quotes)"),
    "Invalid date or datetime": N_("a date or time that does not exist"),
    "Invalid hex value": N_("an invalid hexadecimal escape"),
    "Invalid initial character for a key part": N_("a key cannot start with this character"),
    "Expected '=' after a key in a key/value pair": N_("`=` is missing after a key"),
    "Expected ']' at the end of a table declaration": N_("`]` is missing at the end of a header"),
    "Expected ']]' at the end of an array declaration": N_(
        "`]]` is missing at the end of a header"
    ),
    "Expected newline or end of document after a statement": N_(
        "a line holds more than one `key = value`, or text after a value"
    ),
    "Unclosed array": N_("an array is not closed with `]`"),
    "Unclosed inline table": N_("an inline table is not closed with `}`"),
    "Unterminated string": N_("a string has no closing quote"),
    "Unescaped '\\' in a string": N_("a `\\` in a string is not escaped"),
    "Cannot overwrite a value": N_("a value is given twice"),
    "Escaped character is not a Unicode scalar value": N_("an escape names no Unicode character"),
}
_WITH_VALUE = (
    (re.compile(r"Cannot declare (.+) twice"), N_("{value} is declared twice")),
    (re.compile(r"Cannot mutate immutable namespace (.+)"), N_("{value} is already defined")),
    (re.compile(r"Cannot redefine namespace (.+)"), N_("{value} is already defined")),
    (re.compile(r"Duplicate inline table key (.+)"), N_("the key {value} is given twice")),
    (re.compile(r"Found invalid character (.+)"), N_("an invalid character {value}")),
    (re.compile(r"Illegal character (.+)"), N_("an invalid character {value}")),
    (re.compile(r"Expected (.+)"), N_("{value} is expected here")),
)
_PLACE = re.compile(r"^(.*?)\s*\((?:at line (\d+), column (\d+)|(at end of document))\)$", re.S)


def toml_error_text(error: ValueError) -> str:
    """The words for a TOMLDecodeError: as tomllib gave them, or in Chinese."""
    text = str(error)
    if language() != "zh":
        return text
    found = _PLACE.match(text)
    wording = found.group(1) if found else text
    words = _words(wording)
    if found is None:
        return words
    if found.group(4):
        return _("{words} (at the end of the file)").format(words=words)
    return _("{words} (line {line}, column {column})").format(
        words=words, line=found.group(2), column=found.group(3)
    )


def _words(wording: str) -> str:
    fixed = _FIXED.get(wording)
    if fixed is not None:
        return _(fixed)
    for pattern, message in _WITH_VALUE:
        matched = pattern.fullmatch(wording)
        if matched:
            return _(message).format(value=matched.group(1))
    return wording
