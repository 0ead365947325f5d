"""The quick path carries out `done`, `start`, `note` and `undo` exactly as the full command does.

Each sequence of commands runs twice, on two copies of a ledger: once through
`quick.serve` and once through the full command line, with the same clock and
login name. After every command the two agree on the exit code, what was said
on stderr, the ledger's bytes and the undo journal's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from measures import quick
from measures.i18n import set_language
from measures.model.records import MAX_TEXT

from .conftest import SHIPPED, Run, import_probe

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=timezone(timedelta(hours=8)))
TODAY = NOW.date()


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("measures.writes", "measures.cli.change_commands"):
        monkeypatch.setattr(f"{module}.clock_now", lambda: NOW)
        monkeypatch.setattr(f"{module}.clock_today", lambda: TODAY)
    monkeypatch.setattr("measures.writes.login", lambda: "督查室")


def quickly(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The exit code and stderr of the quick path's run of `args`, which it must take."""
    capsys.readouterr()
    try:
        assert quick.serve(args), args
        code = 0
    except SystemExit as stopped:
        assert isinstance(stopped.code, int)
        code = stopped.code
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


SEQUENCE = [
    ["done", "1"],
    ["done", "1"],  # done already: refused
    ["start", "3", "4", "--note", "已召开部署会"],
    ["note", "2", "进展顺利，已完成初稿", "--by", "区税务局"],
    ["note", "2", "   "],  # an empty note
    ["note", "2", "x" * (MAX_TEXT + 1)],  # too long
    ["done", "99"],  # no such measure
    ["done", "5", "--on", (TODAY + timedelta(days=1)).isoformat()],  # in the future
    ["done", "5", "--on", "not-a-day"],
    ["done", "5", "--on", "2026-11-01", "--note", "系统已上线", "--by", "区政务服务局"],
    ["start", "3"],  # doing already
    ["start", "6", "--on", "2019-01-01"],  # before the measure was added? (shipped: fine)
    ["undo"],
    ["undo"],
    ["done", "7", "7", "8"],
    ["undo"],
    ["undo"],
    ["undo"],
    ["undo"],
    ["undo"],
    ["undo"],  # nothing left to undo
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_same_changes_words_and_journal(
    lang: str,
    isolated: Path,
    run: Run,
    capsys: pytest.CaptureFixture[str],
    fixed_clock: None,
) -> None:
    fast, full = isolated / "fast", isolated / "full"
    for folder in (fast, full):
        folder.mkdir()
        shutil.copyfile(SHIPPED, folder / "measures.toml")
    codes = []
    for args in SEQUENCE:
        set_language(lang)
        code, said = quickly([*args, "--file", str(fast / "measures.toml")], capsys)
        set_language(lang)
        result = run(*args, "--file", str(full / "measures.toml"))
        expected = result.stderr.replace(str(full), str(fast))
        assert (code, said) == (result.exit_code, expected), args
        for name in ("measures.toml", ".measures/measures.toml.undo"):
            mine, theirs = fast / name, full / name
            assert mine.exists() == theirs.exists(), (args, name)
            if mine.exists():
                assert mine.read_bytes() == theirs.read_bytes(), (args, name)
        codes.append(code)
    assert 0 in codes and 1 in codes  # both changes and refusals were compared
    assert (fast / "measures.toml").read_bytes() == SHIPPED.read_bytes()  # all undone


def test_a_workspace_is_left_to_the_full_command(isolated: Path) -> None:
    plans = isolated / "plans"
    plans.mkdir()
    shutil.copyfile(SHIPPED, plans / "yshj.toml")
    assert quick.serve(["done", "1"]) is False
    assert quick.serve(["undo"]) is False
    assert (plans / "yshj.toml").read_bytes() == SHIPPED.read_bytes()


def test_no_ledger_is_left_to_the_full_command(isolated: Path) -> None:
    assert quick.serve(["done", "1"]) is False


PROBE = import_probe(
    "[m for m in ('typer', 'click', 'filelock', 'rich', 'pydantic', 'tempfile', 'getpass')"
    " if m in sys.modules]"
)


@pytest.mark.parametrize(
    "args",
    [["done", "1"], ["start", "3", "--note", "已部署"], ["note", "2", "进展"], ["undo"]],
    ids=lambda args: args[0],
)
def test_a_write_imports_neither_typer_nor_filelock_nor_pydantic(
    ledger: Path, args: list[str]
) -> None:
    if args == ["undo"]:
        subprocess.run([sys.executable, "-m", "measures", "note", "2", "x"], check=True)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    assert done.stderr.splitlines()[-1] == "imported:", done.stderr
    assert ledger.read_bytes() != SHIPPED.read_bytes() or args == ["undo"]


def test_the_command_lines_own_check_still_reports(ledger: Path) -> None:
    """A usage error the quick path does not take (an unknown option) is click's, exit 2."""
    done = subprocess.run(
        [sys.executable, "-m", "measures", "done", "1", "--when", "today"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "--when" in done.stderr
    assert ledger.read_bytes() == SHIPPED.read_bytes()
