"""The Chinese interface names fields, TOML errors and help arguments in the office's words."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from measures.i18n import set_language
from measures.model.fieldnames import CHINESE_FIELD, field_label
from measures.model.records import Measure, field_names
from measures.model.tomlerrors import _FIXED, toml_error_text

from .conftest import Run

# A run of three or more ASCII letters: an English word left in Chinese text.
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def test_every_field_of_a_measure_has_an_office_name() -> None:
    for name in field_names(Measure):
        assert name in CHINESE_FIELD
    set_language("zh")
    try:
        assert field_label("owner") == "牵头单位"
        assert field_label("done_on") == "完成日期"
    finally:
        set_language("en")
    assert field_label("owner") == "owner"


def test_set_and_log_and_undo_name_fields_in_chinese(run: Run, ledger: Path) -> None:
    result = run("--lang", "zh", "set", "12", "--title", "新标题", "--owner", "区财政局")
    assert result.exit_code == 0, result.stderr
    assert "已修改第12条：标题、牵头单位。" in result.stderr
    shown = run("--lang", "zh", "log", "12").stdout
    assert "牵头单位" in shown and "（空）" in shown
    assert "owner" not in shown and "''" not in shown
    undone = run("--lang", "zh", "undo")
    assert undone.exit_code == 0, undone.stderr
    assert "修改第12条（标题" in undone.stderr
    assert "owner" not in undone.stderr and "title" not in undone.stderr


def test_set_in_english_names_the_keys(run: Run, ledger: Path) -> None:
    result = run("--lang", "en", "set", "12", "--owner", "Finance")
    assert "Set on 12: owner." in result.stderr
    assert "owner '' → Finance" in run("--lang", "en", "log", "12").stdout


# Ledger texts tomllib refuses, one for each kind of wording it has.
BAD_TOML = [
    "oops here\n",
    "!!!\n",
    "a = \n",
    "a = 2020-13-45\n",
    "[plan\n",
    "[[measures]\n",
    "a = [1, 2\n",
    "a = {b = 1\n",
    'a = "open\n',
    "a = 1\na = 2\n",
    "a = 'x' 'y'\n",
    "a = {b = 1, b = 2}\n",
    "[a]\n[a]\n",
]


@pytest.mark.parametrize("text", BAD_TOML)
def test_toml_errors_in_chinese_have_no_english_words(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    assert toml_error_text(caught.value) == str(caught.value)  # English: as tomllib says
    set_language("zh")
    try:
        words = toml_error_text(caught.value)
    finally:
        set_language("en")
    assert not ENGLISH_WORD.search(words.replace("Unicode", "")), words
    assert re.search(r"（第\d+行第\d+列）$|（在文件末尾）$", words), words


def test_every_fixed_wording_is_one_tomllib_writes() -> None:
    """A wording of the table that tomllib no longer writes would hide a new one untranslated."""
    source = Path(tomllib.__file__).with_name("_parser.py").read_text(encoding="utf-8")
    for wording in _FIXED:
        assert repr(wording)[1:-1] in source, wording


def test_a_broken_ledger_is_reported_in_chinese(run: Run, ledger: Path) -> None:
    text = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    text[29] = "!!!\n"
    ledger.write_text("".join(text), encoding="utf-8")
    result = run("--lang", "zh", "list")
    assert result.exit_code != 0
    assert "TOML 格式错误：这一行既不是“键 = 值”，也不是 [表头]（第30行第1列）。" in result.stderr
    english = run("--lang", "en", "list")
    assert "invalid TOML: Invalid statement (at line 30, column 1)." in english.stderr
    checked = run("--lang", "zh", "check")
    assert "（第30行第1列）" in checked.stdout + checked.stderr


def test_a_missing_done_on_is_named_in_chinese(run: Run, ledger: Path) -> None:
    text = ledger.read_text(encoding="utf-8").replace('status = "todo"', 'status = "done"', 1)
    ledger.write_text(text, encoding="utf-8")
    result = run("--lang", "zh", "list")
    assert "缺少完成日期（done_on）" in result.stderr


def _commands(run: Run) -> list[str]:
    shown = run("--lang", "en", "--help").stdout
    listed = shown.split("Commands:", 1)[1]
    return [line.split()[0] for line in listed.splitlines() if line.startswith("  ")]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_help_shows_no_python_types(run: Run, ledger: Path, language: str) -> None:
    commands = _commands(run)
    assert "list" in commands and "import" in commands
    for name in commands:
        shown = run("--lang", language, name, "--help").stdout
        assert "<str>" not in shown and "list[" not in shown and "<int>" not in shown, name


def test_a_status_set_by_import_is_one_move_in_the_office_words(run: Run, isolated: Path) -> None:
    assert run("init", "--empty", "--name", "方案").exit_code == 0
    sheet = isolated / "new.csv"
    sheet.write_text("序号,工作任务,牵头单位,完成时限,状态\n9,新任务,区财政局,2026-12-31,推进中\n")
    assert run("import", str(sheet)).exit_code == 0
    shown = run("--lang", "zh", "log", "9").stdout
    assert "未启动 →" in shown and "推进中" in shown
    assert "todo" not in shown and "doing" not in shown and "状态" not in shown.split("\n", 2)[2]
    undone = run("--lang", "zh", "undo")
    assert "修改第9条（未启动 → 推进中）" in undone.stderr
