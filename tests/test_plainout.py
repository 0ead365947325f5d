"""A long list written without rich: the width rich would give, and the bytes it would write."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from measures.i18n import set_language
from measures.render import output, plainout
from measures.render.longtable import LONG, LongTable
from measures.render.terminal import measures_table

from .conftest import SHIPPED, generated_ledger, import_probe
from .test_longtable import TODAY, many


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


NAMES = ("COLUMNS", "LINES", "TERM", "TTY_COMPATIBLE", "FORCE_COLOR")
VALUES = [[None, "100", "0", "abc"], [None, "30"], [None, "dumb", "xterm"], [None, "0", "1"]]
ENVIRONMENTS = [
    {key: value for key, value in zip(NAMES, values, strict=True) if value is not None}
    for values in itertools.product(*VALUES, [None, "", "1"])
]


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_the_width_is_the_one_rich_gives(terminal: bool) -> None:
    for environ in ENVIRONMENTS:
        stream = _Terminal() if terminal else io.StringIO()
        console = Console(file=stream, highlight=False, emoji=False, markup=False, _environ=environ)
        assert plainout.console_width(environ, stream) == console.width, environ


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_long_list_is_written_as_rich_writes_it(
    width: int, language: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    set_language(language)
    table = measures_table(many(LONG + 40), TODAY)
    assert isinstance(table, LongTable)
    output.print_table(table)
    plain = capsys.readouterr().out
    rich_console = Console(file=(written := io.StringIO()), highlight=False, emoji=False)
    rich_console.print(table)
    assert plain == written.getvalue()


def test_too_narrow_a_list_is_left_to_rich_which_crops_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    table = measures_table(many(LONG + 1), TODAY)
    assert isinstance(table, LongTable) and table.width(20) > 20
    output.print_table(table)
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) <= 20


PROBE = import_probe(
    "[m for m in ('rich.console', 'rich.table', 'rich.cells') if m in sys.modules]"
)


@pytest.mark.parametrize("count", [31, LONG + 100], ids=["shipped", "long"])
def test_a_list_imports_no_rich(tmp_path: Path, count: int) -> None:
    """To a pipe, the second run (its snapshot kept): no rich, short list or long."""
    ledger = tmp_path / "measures.toml"
    if count == 31:
        ledger.write_bytes(SHIPPED.read_bytes())
    else:
        ledger.write_text(generated_ledger(count), encoding="utf-8")
    runs = [
        subprocess.run(
            [sys.executable, "-c", PROBE, "-f", str(ledger), "list"],
            capture_output=True,
            text=True,
            check=True,
            env={"COLUMNS": "120", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        )
        for _run in range(2)
    ]
    assert f"{count} measures" in runs[1].stdout and runs[0].stdout == runs[1].stdout
    assert runs[1].stderr.splitlines()[-1] == "imported:", runs[1].stderr
