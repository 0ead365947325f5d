"""The terminal report written without rich (render/plaintable.py, plainreport.py) is
rich's output byte for byte, or is left to rich: for real ledgers, plans, widths and
languages, and for random tables and paragraphs."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from measures.domain.queries import with_lateness
from measures.domain.reports import Report, build_report
from measures.i18n import set_language
from measures.ledger.store import read_ledger
from measures.model.records import Measure
from measures.render import output, plainout, plainreport, plaintable, terminal
from measures.render.blocks import Block, Paragraph, Runs, TableBlock, TableColumn
from measures.render.cells import cell_len, chop_cells

from .conftest import SHIPPED, Run, generated_ledger, import_probe
from .test_workspace import UNITS, YQJS, YSHJ, ZSYZ

WIDTHS = (40, 60, 80, 100, 120, 200)
TODAY = date(2021, 1, 15)  # some of the shipped and generated measures overdue, some due soon


EMPTY = '[plan]\nname = "空方案"\nissued = 2020-11-06\n'


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ledgers")
    made = {"shipped": SHIPPED}
    texts = {"0": EMPTY, **{str(n): generated_ledger(n) for n in (1, 31, 500, 10000)}}
    for name, text in texts.items():
        made[name] = folder / f"{name}.toml"
        made[name].write_text(text, encoding="utf-8")
    return made


def _printed(report: Report, overdue_only: bool, plain: bool) -> str:
    """What `output.print_report` writes to a file: by the plain path if it takes it, or by rich."""
    buffer = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        if not plain:
            patch.setattr(plainout, "unstyled_width", lambda *args, **kwargs: None)
        output.print_report(report, overdue_only, buffer)
    return buffer.getvalue()


def _compared(
    report: Report, width: int, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[bool, bool, str, str]]:
    """The report and its `--overdue` list at `width`: whether the plain path takes
    each, whether it should (all but the long overdue list, the long table's), and
    what it prints beside what rich prints."""
    monkeypatch.setenv("COLUMNS", str(width))
    return [
        (
            plainreport.report_text(report, overdue_only, width) is not None,
            not (overdue_only and len(report.overdue) > 200),
            _printed(report, overdue_only, plain=True),
            _printed(report, overdue_only, plain=False),
        )
        for overdue_only in (False, True)
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["shipped", "0", "1", "31", "500"])
@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 2)])
def test_the_report_without_rich_is_riches_bytes(
    ledgers: dict[str, Path], name: str, lang: str, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_language(lang)
    report = build_report(read_ledger(ledgers[name]).ledger, today, due_within=30)
    for width in WIDTHS:
        for taken, plain_layout, plain, rich in _compared(report, width, monkeypatch):
            assert plain == rich, (name, lang, width)
            assert taken == plain_layout


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_of_10000_measures_without_rich_is_riches_bytes(
    ledgers: dict[str, Path], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_language(lang)
    report = build_report(read_ledger(ledgers["10000"]).ledger, date(2026, 12, 2))
    for width in WIDTHS:
        for taken, plain_layout, plain, rich in _compared(report, width, monkeypatch):
            assert plain == rich, (lang, width)
            assert taken == plain_layout


def _listed(
    measures: list[Measure],
    capsys: pytest.CaptureFixture[str],
    plain: bool,
    plans: list[str] | None = None,
) -> str:
    """What `list` prints as a table (`output.print_measures`): plain if it can, or by rich."""
    with pytest.MonkeyPatch.context() as patch:
        if not plain:
            patch.setattr(plainout, "unstyled_width", lambda *args, **kwargs: None)
        output.print_measures(measures, TODAY, "table", plans)
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["shipped", "0", "1", "31"])
def test_the_list_without_rich_is_riches_bytes(
    ledgers: dict[str, Path],
    name: str,
    lang: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`list`'s table of up to LONG rows (the shipped titles and owners fold), alone and
    beside the plans' keys: the plain path is taken at every width, with rich's bytes."""
    set_language(lang)
    measures = list(read_ledger(ledgers[name]).ledger.measures)
    rows = with_lateness(measures, TODAY)
    keys = ["yshj" if measure.id % 2 else "zsyz" for measure in measures]
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        assert output._print_plain_measures(rows, TODAY, None, [None] * len(rows))
        capsys.readouterr()
        for plans in (None, keys):
            plain = _listed(measures, capsys, True, plans)
            assert plain == _listed(measures, capsys, False, plans), (name, lang, width)


@pytest.fixture
def workspace(isolated: Path) -> Path:
    folder = isolated / "plans"
    folder.mkdir()
    for name, text in (
        ("a-yshj.toml", YSHJ),
        ("zsyz.toml", ZSYZ),
        ("zz-yqjs.toml", YQJS),
        ("units.toml", UNITS),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _spy(taken: list[bool]) -> Callable[[Report, bool, IO[str]], bool]:
    """`write_plain_report`, noting in `taken` whether it wrote the report."""
    real = plainreport.write_plain_report

    def spied(report: Report, overdue_only: bool, file: IO[str]) -> bool:
        taken.append(real(report, overdue_only, file))
        return taken[-1]

    return spied


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_of_several_plans_without_rich_is_riches_bytes(
    run: Run, workspace: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the command line: the tables by plan and by unit too."""
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        for extra in ([], ["--overdue"], ["--since", "2020-01-01"]):
            args = ["--lang", lang, "report", "-f", str(workspace), *extra]
            taken: list[bool] = []
            with monkeypatch.context() as patch:
                patch.setattr(plainreport, "write_plain_report", _spy(taken))
                plain = run(*args)
            with monkeypatch.context() as patch:
                patch.setattr(plainout, "unstyled_width", lambda *args, **kwargs: None)
                rich = run(*args)
            assert plain.exit_code == rich.exit_code == 0, plain.stderr
            assert plain.stdout == rich.stdout
            assert taken == [True]


def test_a_10000_measure_report_at_120_columns_imports_no_rich_and_writes_riches_bytes(
    ledgers: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the quick path, to a pipe: the case issue 18 times."""
    probe = import_probe("[m for m in ('rich', 'rich.console', 'rich.table') if m in sys.modules]")
    args = [sys.executable, "-c", probe, "-f", str(ledgers["10000"]), "--lang", "en", "report"]
    env = {**os.environ, "COLUMNS": "120"}
    runs = [subprocess.run(args, capture_output=True, text=True, env=env, check=True)]
    runs.append(subprocess.run(args, capture_output=True, text=True, env=env, check=True))
    assert runs[1].stderr == "imported:\n"  # the snapshot kept by the first run, then no rich
    report = build_report(read_ledger(ledgers["10000"]).ledger, date.today())
    monkeypatch.setenv("COLUMNS", "120")
    assert runs[0].stdout == runs[1].stdout == _printed(report, False, plain=False)


# Where the plain path must stand aside: rich styles the output, or draws in ASCII.
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Ascii(io.StringIO):
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "ascii"


@pytest.mark.parametrize(
    ("file", "environ", "plain"),
    [
        (io.StringIO(), {"COLUMNS": "120"}, True),
        (io.StringIO(), {}, True),
        (io.StringIO(), {"COLUMNS": "abc"}, True),
        (io.StringIO(), {"COLUMNS": "120", "FORCE_COLOR": "1"}, False),
        (io.StringIO(), {"COLUMNS": "120", "FORCE_COLOR": ""}, True),
        (io.StringIO(), {"COLUMNS": "120", "TTY_COMPATIBLE": "1"}, False),
        (_Terminal(), {"COLUMNS": "120"}, False),
        (_Terminal(), {"COLUMNS": "120", "NO_COLOR": "1"}, False),  # still bold
        (_Terminal(), {"COLUMNS": "120", "TTY_COMPATIBLE": "0"}, True),
        (_Terminal(), {"COLUMNS": "120", "TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, True),
        (_Ascii(), {"COLUMNS": "120"}, False),
    ],
)
def test_the_plain_path_is_taken_only_where_rich_writes_no_escape_codes(
    file: io.StringIO, environ: dict[str, str], plain: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    width = plainout.unstyled_width(file)
    console = Console(file=file)
    assert (width is not None) == plain
    if plain:
        assert console.color_system is None and not console.is_terminal
        assert width == console.width
        console.print("x", style="bold")
        assert "\x1b" not in file.getvalue()


COMMON = list("abcXYZ 0123456789-./:%（）《》“”、，。；：！？…·—█░\u3000") + list(
    "区税务局推定市场监督管理年月日项天报道称依据行动方案"
)
# Text mostly as ledgers have it; some with what rich measures in ways of its own.
TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(COMMON), max_size=40),
    st.text(alphabet=st.sampled_from(COMMON), max_size=40),
    st.text(
        alphabet=st.sampled_from([*COMMON, "é", "\u0301", "😀", "\u200d", "\ufe0f"]), max_size=40
    ),
)

COLUMNS = st.builds(
    TableColumn,
    header=TEXT,
    right=st.booleans(),
    ratio=st.sampled_from([None, 1, 3]),
    min_width=st.sampled_from([None, 0, 4, 8, 10]),
    max_width=st.sampled_from([None, 10]),
    no_wrap=st.booleans(),
    overflow=st.sampled_from(["fold", "crop", "ellipsis"]),
)


@st.composite
def tables(draw: st.DrawFn) -> TableBlock:
    columns = draw(st.lists(COLUMNS, min_size=1, max_size=8))
    cell = st.one_of(
        st.tuples(TEXT, st.just("")),
        st.builds(lambda parts: Runs(tuple((p, "red") for p in parts)), st.lists(TEXT, max_size=3)),
    )
    rows = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=6))
    annotation = st.one_of(st.none(), TEXT)
    return TableBlock(columns, rows, draw(annotation), draw(annotation))


def _rich(block: Block, width: int) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, emoji=False, markup=False)
    terminal.print_block(console, block)
    return buffer.getvalue()


@settings(max_examples=400, deadline=None)
@given(block=tables(), width=st.integers(min_value=10, max_value=200))
@example(  # cut at a column's edge before a combining mark, which rich then drops
    block=TableBlock(columns=[TableColumn("", min_width=8), TableColumn("\u03010")], rows=[]),
    width=10,
)
def test_a_random_table_without_rich_is_riches_bytes_or_left_to_rich(
    block: TableBlock, width: int
) -> None:
    text = plaintable.block_text(block, width)
    assert text is None or text == _rich(block, width)


@settings(max_examples=400, deadline=None)
@given(text=TEXT, width=st.integers(min_value=10, max_value=120))
def test_a_random_paragraph_without_rich_is_riches_bytes_or_left_to_rich(
    text: str, width: int
) -> None:
    block = Paragraph(text * 3)
    plain = plaintable.block_text(block, width)
    assert plain == _rich(block, width) or (
        plain is None and ("\u200d" in text or "\ufe0f" in text)
    )


@given(text=TEXT, width=st.integers(min_value=1, max_value=30))
def test_cell_widths_and_chops_are_riches(text: str, width: int) -> None:
    from rich.cells import cell_len as rich_cell_len
    from rich.cells import chop_cells as rich_chop_cells

    assert cell_len(text) == rich_cell_len(text)
    assert chop_cells(text, width) == rich_chop_cells(text, width)


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    set_language("en")
