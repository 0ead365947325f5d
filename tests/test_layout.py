"""Chinese text in the terminal: tables stay aligned at 60, 80 and 160 columns.

Widths are display widths (a Chinese character takes two cells), measured with
rich's `cell_len`. Reading the columns back out of the printed table shows that
long titles wrap between characters and that nothing is cut or left out.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from measures.domain.labels import marked_owner
from measures.domain.lights import CHINESE_LIGHT, Light
from measures.i18n import _, set_language

from .conftest import Run

WIDTHS = (60, 80, 160)


def _cut(line: str, start: int, end: int) -> str:
    """The characters of `line` between display cells `start` and `end`."""
    kept, cell = [], 0
    for char in line:
        if start <= cell < end:
            kept.append(char)
        cell += cell_len(char)
    return "".join(kept)


def _columns(lines: list[str], headings: list[str]) -> list[list[str]]:
    """Each row's cells, a cell's wrapped lines joined, spaces left out.

    A left-aligned column starts where its heading does; the last two (status,
    then the right-aligned days late) are told apart by the space between them.
    """
    rule = next(index for index, line in enumerate(lines) if line.startswith("━"))
    header = lines[:rule]  # a heading squeezed narrow wraps onto a second line

    def start(heading: str) -> int:
        found = [line for line in header if heading[:2] in line]
        return min(cell_len(line[: line.index(heading[:2])]) for line in found)

    starts = [start(heading) for heading in headings[1:-1]]
    bounds = list(zip([0, *starts], [*starts, 10_000], strict=True))
    rows: list[list[str]] = []
    for line in lines[rule + 1 :]:
        cells = [_cut(line, start, end).strip() for start, end in bounds]
        *first, tail = cells
        cells = [*first, *(tail.split(maxsplit=1) if cells[0] else [tail, ""])]
        cells = [cell.replace(" ", "") for cell in cells]
        if cells[0]:
            rows.append(cells)
        else:  # a wrapped line continues the row above
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_list_of_the_shipped_ledger(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch, lang: str, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run("--lang", lang, "list").stdout
    lines = out.splitlines()
    table, caption = lines[:-1], lines[-1]
    assert {cell_len(line) for line in table} == {cell_len(table[0])}, "rows of unequal width"
    assert all(cell_len(line) <= width for line in lines)
    assert caption.strip().startswith("共31条举措" if lang == "zh" else "31 measures")
    assert "…" not in out

    set_language(lang)
    headings = [
        _("ID"),
        _("Measure"),
        _("Owner"),
        _("Deadline"),
        _("Light"),
        _("Status"),
        _("Overdue"),
    ]
    rows = _columns(table, headings)
    measures = json.loads(run("--lang", lang, "list", "--format", "json").stdout)
    assert [int(row[0]) for row in rows] == [m["id"] for m in measures]
    for row, measure in zip(rows, measures, strict=True):
        title = measure["title"] if lang == "zh" else (measure["title_en"] or measure["title"])
        # Whole: a wrap adds no hyphen and loses no character (English wraps at spaces).
        assert row[1] == title.replace(" ", ""), (width, row)
        owner = marked_owner(measure["owner"], measure["owner_basis"], lang)
        assert row[2] == (owner or "-").replace(" ", "")
        wording = measure["deadline_text"]
        if lang == "zh":
            assert row[3] == (wording or "2020年12月31日")
        else:
            assert row[3] == ("2020-12-31" + (f"({wording})" if wording else ""))
        light = CHINESE_LIGHT[Light(measure["light"])] if lang == "zh" else measure["light"]
        assert row[4] == light
        assert row[5] == ("未启动" if lang == "zh" else "todo")
        assert row[6].endswith("天" if lang == "zh" else "d") and row[6][:-1].isdigit()
    if lang == "en":
        # English wraps between words: no word of a title is folded in two, at 60 too.
        shown = {word for line in table for word in line.split()}
        for measure in measures:
            for word in (measure["title_en"] or "").split():
                assert word in shown, (width, word)
    if lang == "zh":
        # No column is squeezed to nothing: every title starts on its row's first line.
        first_lines = [line for line in table[2:] if line[:4].strip()]
        assert all(_cut(line, 6, 10).strip() for line in first_lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_chinese_report_show_and_help_fit(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for args in (["report"], ["report", "--as-of", "2020-12-20"], ["show", "3"], ["log"]):
        out = run("--lang", "zh", *args).stdout
        assert all(cell_len(line) <= width for line in out.splitlines()), args
        assert "…" not in out
    # Help as a process: in-process, click's test runner fixes the width at 80.
    for args in (["--help"], ["list", "--help"], ["report", "--help"]):
        out = subprocess.run(
            [sys.executable, "-m", "measures", "--lang", "zh", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": str(width)},
            check=True,
        ).stdout
        assert out.startswith("用法：")
        assert all(cell_len(line) <= width for line in out.splitlines()), (args, out)


@pytest.mark.parametrize("width", (60, 64, 72, *WIDTHS[1:]))
def test_the_english_report_fits_and_cuts_no_heading_or_count(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run("--lang", "en", "report").stdout
    assert all(cell_len(line) <= width for line in out.splitlines()), out
    assert "…" not in out  # no heading cut short (`Compl…`)
    table = out[out.index("By owner") : out.index("Overdue as of")]
    # Every owner's light counts whole (`2/0/0`, not `2/0` cut at the edge).
    assert len(re.findall(r"\b\d+/\d+/\d+\b", table)) == 5, table
    headings = " ".join(table.splitlines()[1:4])
    for word in ("Total", "Complete", "Overdue", "Extended", "R/Y/G"):
        assert word in headings.split(), (width, word)


def test_the_table_by_unit_keeps_every_count_at_60_columns(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_workspace import YSHJ, ZSYZ

    plans = isolated / "plans"
    plans.mkdir()
    (plans / "yshj.toml").write_text(YSHJ, encoding="utf-8")
    (plans / "zsyz.toml").write_text(ZSYZ, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "60")
    out = run("--lang", "en", "report", "--as-of", "2021-03-20").stdout
    assert all(cell_len(line) <= 60 for line in out.splitlines()), out
    table = out[out.index("By unit") : out.index("Overdue as of")].splitlines()
    counted = [line.split() for line in table[4:] if len(line.split()) > 1]
    units = json.loads(run("report", "--as-of", "2021-03-20", "--format", "json").stdout)
    assert len(counted) == len(units["by_unit"])  # each unit's first line, its name folded
    assert all(len(cells) == 7 and cells[1].isdigit() for cells in counted), table
    assert "…" not in out


def test_wrapping_breaks_between_characters_and_keeps_punctuation() -> None:
    from measures.render.linebreak import wrap

    text = "按牵头单位的报告，将举措标记为已完成。示例：measures done 3"
    lines = wrap(text, 20, "  ", "  ").splitlines()
    assert all(cell_len(line) <= 20 for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line.strip()[0] in "，。：" for line in lines)  # none starts a line
    assert any("measures" in line for line in lines)  # an English word stays whole
