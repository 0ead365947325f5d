"""What the terminal report is made of, before a renderer lays it out.

Paragraphs, blank lines and tables, as plain data: `terminal.py` turns them into
rich's Text and Table, `plaintable.py` writes the same bytes without rich where
the layout is plain. Ledger text goes in as it is; each renderer makes it inert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Cell = tuple[str, str]  # text and rich style


@dataclass(frozen=True)
class Runs:
    """A cell in parts, each in a style of its own (`3/1/0`, each count in its light's
    colour); numbers of ours, not ledger text, so not folded by the line-break rule."""

    parts: tuple[Cell, ...]

    @property
    def plain(self) -> str:
        return "".join(text for text, _style in self.parts)


@dataclass(frozen=True)
class TableColumn:
    """A column as rich's `Table.add_column` takes it (the same defaults)."""

    header: str
    right: bool = False  # right-justified (numbers)
    ratio: int | None = None
    min_width: int | None = None
    max_width: int | None = None
    no_wrap: bool = False
    overflow: Literal["fold", "crop", "ellipsis"] = "ellipsis"


@dataclass(frozen=True)
class TableBlock:
    columns: Sequence[TableColumn]
    rows: Sequence[Sequence[Cell | Runs]]
    title: str | None = None
    caption: str | None = None  # below the table, centred (rich's caption_justify)


@dataclass(frozen=True)
class Paragraph:
    """Text folded by the line-break rule (`linebreak.py`)."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Blank:
    """An empty line."""


Block = Paragraph | Blank | TableBlock
