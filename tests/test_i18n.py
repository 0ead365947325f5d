"""Choosing the language, and the command-line framework's words in it: help, usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from measures.i18n import _, detect_language, language, set_language

from .conftest import REPO, Run, measures_process


class TestChoosingTheLanguage:
    @pytest.mark.parametrize(
        ("argv", "environ", "expected"),
        [
            (["measures", "list"], {}, "en"),
            (["measures", "list"], {"LANG": "zh_CN.UTF-8"}, "zh"),
            (["measures", "list"], {"LANG": "C.UTF-8"}, "en"),
            (["measures", "list"], {"LANG": "en_US.UTF-8"}, "en"),
            (["measures", "list"], {"LANG": "zh_TW.UTF-8"}, "zh"),
            # POSIX order: LC_ALL, then LC_MESSAGES, then LANG; an empty one is unset.
            (["measures", "list"], {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
            (["measures", "list"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "C.UTF-8"}, "zh"),
            (["measures", "list"], {"LC_ALL": "", "LC_MESSAGES": "zh_CN", "LANG": "C"}, "zh"),
            (["measures", "list"], {"LC_MESSAGES": "C", "LANG": "zh_CN.UTF-8"}, "en"),
            # --lang wins over the locale, before or after the command.
            (["measures", "--lang", "zh", "list"], {"LANG": "C.UTF-8"}, "zh"),
            (["measures", "--lang=en", "list"], {"LC_ALL": "zh_CN.UTF-8"}, "en"),
            (["measures", "list", "--lang", "zh"], {}, "zh"),
            # Not a language, or after `--`: the locale decides.
            (["measures", "--lang", "fr", "list"], {"LANG": "zh_CN.UTF-8"}, "zh"),
            (["measures", "note", "3", "--", "--lang", "zh"], {}, "en"),
        ],
    )
    def test_detect(self, argv: list[str], environ: dict[str, str], expected: str) -> None:
        assert detect_language(argv, environ) == expected

    def test_set_and_read_back(self) -> None:
        set_language("zh")
        assert language() == "zh" and _("Output format.") == "输出格式。"
        set_language("en")
        assert language() == "en" and _("Output format.") == "Output format."
        with pytest.raises(ValueError, match="unknown language"):
            set_language("fr")


class TestUsageErrors:
    """In-process, with --lang zh: the framework's own messages."""

    def test_usage_errors(self, run: Run, ledger: Path) -> None:
        missing = run("--lang", "zh", "show")
        assert missing.exit_code == 2
        assert missing.stderr == (
            "用法：measures show [OPTIONS] {ID}\n运行 'measures show -h' 查看帮助。\n\n"
            "错误：缺少参数 'ID'。\n"
        )
        unknown = run("--lang", "zh", "list", "--bogus")
        assert unknown.exit_code == 2 and "错误：没有选项：--bogus" in unknown.stderr
        choice = run("--lang", "zh", "list", "--format", "pdf")
        assert choice.exit_code == 2
        assert (
            "错误：'--format' 的值无效："
            "'pdf' 不是可选值（'table', 'json', 'csv', 'markdown'）之一。" in choice.stderr
        )
        command = run("--lang", "zh", "lsit")
        assert command.exit_code == 2
        assert "错误：没有命令 'lsit'。你是想用 'list' 吗？" in command.stderr
        extra = run("--lang", "zh", "list", "3")
        assert "错误：多余的参数（3）" in extra.stderr

    def test_usage_errors_in_english_read_as_before(self, run: Run, ledger: Path) -> None:
        missing = run("show")
        assert missing.stderr == (
            "Usage: measures show [OPTIONS] {ID}\nTry 'measures show -h' for help.\n\n"
            "Error: Missing argument 'ID'.\n"
        )
        assert "Error: No such option: --bogus" in run("list", "--bogus").stderr
        assert "Error: No such command 'lsit'. Did you mean 'list'?" in run("lsit").stderr


class TestHelpAsAProcess:
    """Help is in the language of a fresh process's locale."""

    def measures(self, *args: str, lang: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return measures_process(*args, lang=lang, **extra)

    def test_help(self) -> None:
        top = self.measures("--help", lang="zh_CN.UTF-8")
        assert top.returncode == 0
        assert top.stdout.startswith("用法：measures [OPTIONS] COMMAND [ARGS]...\n")
        assert "选项：" in top.stdout and "命令：" in top.stdout
        assert "  list       列出举措：编号、标题、牵头单位、完成时限和状态。\n" in top.stdout
        assert "-h, --help       显示本帮助并退出。" in top.stdout
        listing = self.measures("list", "--help", lang="zh_CN.UTF-8").stdout
        assert "示例：measures list --status todo --owner 税务 --sort deadline" in listing
        assert "[默认：id]" in listing and "只列出逾期的举措。" in listing
        english = self.measures("list", "--help", lang="C.UTF-8").stdout
        assert english.startswith("Usage: measures list [OPTIONS]\n")
        assert "Example: measures list" in english and "Only overdue measures." in english

    def test_version_loads_no_catalogue(self) -> None:
        code = (
            "import sys; sys.argv = ['measures', '--version']\n"
            "from measures.launcher import main; main()\n"
            "print(sorted(m for m in sys.modules if m.startswith(('gettext', 'measures'))))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "LANG": "zh_CN.UTF-8"},
            cwd=REPO,
            check=False,
        )
        assert result.stdout.splitlines()[-1] == "['measures', 'measures.launcher']"


class TestLangAfterTheCommand:
    """`--lang` typed after the command's name works as it does before it."""

    def test_output_in_the_language_asked(self, run: Run, ledger: Path) -> None:
        result = run("list", "--sort", "id", "--lang", "zh")
        assert result.exit_code == 0, result.output
        assert "共31条举措" in result.stdout
        shown = run("show", "3", "--lang=zh")
        assert "牵头单位" in shown.stdout

    def test_help_in_the_language_asked(self, run: Run) -> None:
        result = run("list", "--help", "--lang", "zh")
        assert result.exit_code == 0
        assert result.stdout.startswith("用法：measures list")

    def test_another_language_is_a_usage_error(self, run: Run, ledger: Path) -> None:
        result = run("list", "--lang", "fr")
        assert result.exit_code == 2
        assert "Invalid value for '--lang': 'fr' is not one of 'zh', 'en'." in result.stderr

    def test_after_a_double_dash_it_is_just_text(self, run: Run, ledger: Path) -> None:
        result = run("note", "3", "--", "--lang")
        assert result.exit_code == 0, result.output
        shown = run("show", "3", "--format", "json")
        assert json.loads(shown.stdout)["log"][-1]["note"] == "--lang"
