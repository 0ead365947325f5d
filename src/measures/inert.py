"""Ledger text made safe to show: control and bidi characters become visible escapes."""

import re

# C0 and C1 controls (tab and newline included: a cell is one line), DEL, and the
# Unicode controls that reorder or hide text (bidi embeddings, overrides and
# isolates, marks, zero-width joiners, the BOM).
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)


def inert(text: str) -> str:
    """`text` with every unsafe character shown as an escape such as \\x1b or \\u202e."""
    if text.isprintable():  # each unsafe character is unprintable (a control or a format)
        return text
    return UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
