"""The terminal width of text measured without rich: always rich's own measure."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import _unicode_data
from rich.cells import cell_len as rich_cell_len
from rich.cells import chop_cells, get_character_cell_size

from measures.render import cells

VERSIONS: list[str] = list(_unicode_data.VERSIONS)  # type: ignore[attr-defined]
TAKEN = [chr(point) for point in range(0x110000) if point < 0xD800 or point > 0xDFFF]
TAKEN = [character for character in TAKEN if cells.known_width(character)]


def test_the_characters_measured_here_are_the_ledgers_own() -> None:
    for character in "营商环境，（推定）“不见面审批”、2020年底前 ━█░·—…":
        assert cells.known_width(character), character
    assert len(TAKEN) > 28_000


@pytest.mark.parametrize("version", VERSIONS)
def test_each_character_measured_here_is_as_wide_in_every_version_rich_knows(
    version: str,
) -> None:
    importlib.import_module(f".unicode{version.replace('.', '-')}", "rich._unicode_data")
    wrong = [
        hex(ord(c)) for c in TAKEN if get_character_cell_size(c, version) != cells.known_width(c)
    ]
    assert not wrong, wrong[:20]


ALPHABET = st.sampled_from(
    list("abc XYZ09-.,:%()") + list("营商环境项年月日") + list("，。（）“”、—…━█")
    + ["é", "\u0301", "\ufe0f", "\u200d", "😀", "\u0600", "\x1b", "\u3000", "\u302a", "ｱ"]
)  # fmt: skip


@settings(max_examples=500)
@given(st.text(ALPHABET, max_size=40))
def test_the_width_of_any_text_is_riches(text: str) -> None:
    assert cells.cell_len(text) == rich_cell_len(text)


@settings(max_examples=500)
@given(st.text(ALPHABET, min_size=1, max_size=40), st.integers(1, 30))
def test_the_first_line_of_any_text_is_riches(text: str, width: int) -> None:
    lines = chop_cells(text, width)  # none for text of no width
    assert cells.first_line(text, width) == (len(lines[0]) if lines else 0)
