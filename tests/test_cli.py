"""The command line, run for real (in-process with CliRunner, or as a process)."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from measures import __version__

from .conftest import PLAN_HEADER, REPO, Run, WriteLedger, command, measure_block, run_measures


def records(run: Run, *args: str) -> list[dict]:
    result = run("list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


class TestList:
    def test_json_has_the_31_shipped_measures(self, run: Run, ledger: Path) -> None:
        rows = records(run)
        assert [row["id"] for row in rows] == list(range(1, 32))
        first = rows[0]
        assert (
            first["title"]
            == "企业名称自主申报、企业登记全程电子化，企业开办网上受理时限压缩至0.5天"
        )
        assert first["owner_basis"] == "inferred"
        assert first["overdue"] is True
        assert first["days_overdue"] == (date.today() - date(2020, 12, 31)).days
        assert set(first) >= {"owner", "deadline", "status", "done_on", "log", "source"}

    def test_table_shows_every_measure_and_marks_the_late_ones(
        self, run: Run, ledger: Path
    ) -> None:
        result = run("list")
        assert result.exit_code == 0
        # In English a measure shows its English title; in Chinese its title.
        assert "Self-declared enterprise names" in result.stdout
        assert "Placeholder: a measure not published in the report" in result.stdout
        assert "企业名称自主申报" not in result.stdout
        assert "(inferred)" in result.stdout  # an owner no source names is marked
        chinese = run("--lang", "zh", "list").stdout
        assert "企业名称自主申报" in chinese and "报道未公布的举措（占位）" in chinese
        assert "区商务局（推定）" in chinese
        days = (date.today() - date(2020, 12, 31)).days
        assert "Overdue" in result.stdout
        assert len(re.findall(rf"todo +{days} d", result.stdout)) == 31  # readable without colour
        assert "\x1b[" not in result.stdout

    def test_filters(self, run: Run, ledger: Path) -> None:
        assert [r["id"] for r in records(run, "--owner", "税务")] == [3]
        assert [r["id"] for r in records(run, "--owner", "政务服务")] == [4, 5]
        assert records(run, "--status", "done") == []
        assert len(records(run, "--status", "todo", "--status", "done")) == 31
        assert len(records(run, "--overdue")) == 31

    def test_unknown_status_is_a_usage_error(self, run: Run, ledger: Path) -> None:
        result = run("list", "--status", "finished")
        assert result.exit_code == 2
        assert "finished" in result.stderr

    def test_ledger_text_is_shown_inert(self, run: Run, write_ledger: WriteLedger) -> None:
        title = "[bold]粗体[/bold] \x1b[31mred\x1b[0m \u202eevil"
        write_ledger(
            PLAN_HEADER
            + measure_block(1, title=title.replace("\x1b", "\\u001b").replace("\u202e", "\\u202e"))
        )
        result = run("list")
        assert result.exit_code == 0
        assert "[bold]粗体[/bold]" in result.stdout
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert "\\x1b[31mred" in result.stdout and "\\u202eevil" in result.stdout
        assert records(run)[0]["title"] == title  # JSON keeps the value exact

    def test_file_option_after_the_command(self, run: Run, ledger: Path, tmp_path: Path) -> None:
        other = tmp_path / "elsewhere.toml"
        other.write_text(PLAN_HEADER + measure_block(5), encoding="utf-8")
        assert [r["id"] for r in records(run, "--file", str(other))] == [5]
        result = run("-f", str(other), "list", "--format", "json")
        assert [r["id"] for r in json.loads(result.stdout)] == [5]


class TestDone:
    def test_done_writes_status_day_and_log(self, run: Run, ledger: Path) -> None:
        result = run("-f", str(ledger), "done", "3", "--note", "系统已上线", "--by", "wang")
        assert result.exit_code == 0, result.stderr
        assert "3" in result.stderr and result.stdout == ""
        row = records(run)[2]
        assert row["id"] == 3
        assert row["status"] == "done"
        assert row["done_on"] == date.today().isoformat()
        assert row["overdue"] is False and row["days_overdue"] == 0
        (entry,) = row["log"]
        assert entry["action"] == "done" and entry["by"] == "wang"
        assert entry["from"] == "todo" and entry["to"] == "done"
        assert entry["note"] == "系统已上线"

    def test_several_ids_and_a_date(self, run: Run, ledger: Path) -> None:
        result = run("done", "1", "2", "--on", "2020年12月20日")
        assert result.exit_code == 0, result.stderr
        rows = records(run)
        assert [r["done_on"] for r in rows[:3]] == ["2020-12-20", "2020-12-20", None]

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["99"], "no measure has id 99"),
            (["abc"], "'abc' is not a measure id"),
            (["0"], "'0' is not a measure id"),
            (["²"], "'²' is not a measure id"),  # a digit to str.isdigit, not to int()
            (["3", "--on", "2020-02-30"], "'2020-02-30' does not exist on the calendar"),
            (["3", "--on", "soon"], "'soon' is not a date"),
            (["3", "--on", "+30d"], "is in the future"),
            (["1", "99"], "no measure has id 99"),
        ],
    )
    def test_refusals_write_nothing(
        self, run: Run, ledger: Path, args: list[str], message: str
    ) -> None:
        before = ledger.read_bytes()
        result = run("done", *args)
        assert result.exit_code == 1
        assert message in result.stderr
        assert result.stderr.startswith("Error: ")
        assert len(result.stderr.strip().splitlines()) <= 2
        assert ledger.read_bytes() == before

    def test_done_twice_is_refused(self, run: Run, ledger: Path) -> None:
        assert run("done", "4").exit_code == 0
        before = ledger.read_bytes()
        result = run("done", "4")
        assert result.exit_code == 1
        assert f"{ledger}: measure 4 is done" in result.stderr
        assert ledger.read_bytes() == before

    def test_missing_id_is_a_usage_error(self, run: Run, ledger: Path) -> None:
        assert run("done").exit_code == 2


class TestReport:
    def test_overdue_lists_every_late_measure_until_done(self, run: Run, ledger: Path) -> None:
        result = run("report", "--overdue", "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert sorted(r["id"] for r in json.loads(result.stdout)["overdue"]) == list(range(1, 32))
        table = run("report", "--overdue").stdout
        assert "Self-declared enterprise names" in table and "Days late" in table
        assert run("done", "1").exit_code == 0
        after = json.loads(run("report", "--overdue", "--format", "json").stdout)["overdue"]
        assert 1 not in [r["id"] for r in after] and len(after) == 30
        assert "Self-declared enterprise names" not in run("report", "--overdue").stdout

    def test_most_days_late_first(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(
            PLAN_HEADER
            + measure_block(1, deadline="2020-12-31")
            + measure_block(2, deadline="2020-06-30")
            + measure_block(3, deadline="2099-01-01")
        )
        rows = json.loads(run("report", "--overdue", "--format", "json").stdout)["overdue"]
        assert [r["id"] for r in rows] == [2, 1]
        assert rows[0]["days_overdue"] - rows[1]["days_overdue"] == 184

    def test_full_report(self, run: Run, ledger: Path) -> None:
        run("done", "4", "3")
        data = json.loads(run("report", "--format", "json").stdout)
        assert data["total"] == 31 and data["complete"] == 2
        assert data["by_status"]["done"] == 2 and data["by_status"]["todo"] == 29
        services = next(row for row in data["by_owner"] if row["owner"] == "区政务服务局")
        assert services["owner_basis"] == "inferred"
        counts = (services["total"], services["complete"], services["in_progress"])
        assert (*counts, services["overdue"]) == (2, 1, 1, 1)
        assert data["district"] == "包头市昆都仑区"
        text = run("report").stdout
        assert "2 complete" in text and "区税务局 (inferred)" in text and "By owner" in text
        assert "District: 包头市昆都仑区" in text


class TestBasics:
    def test_version(self, run: Run) -> None:
        result = run("--version")
        assert result.exit_code == 0 and result.stdout.strip() == f"measures {__version__}"

    def test_no_ledger_found(self, run: Run) -> None:
        result = run("list")
        assert result.exit_code == 1
        assert "no ledger found" in result.stderr and "measures init" in result.stderr

    def test_invalid_ledger_is_one_clear_error(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(PLAN_HEADER + measure_block(1) + measure_block(1))
        result = run("list")
        assert result.exit_code == 1
        assert "duplicate id 1" in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 2

    def test_unknown_option_is_exit_2(self, run: Run, ledger: Path) -> None:
        assert run("list", "--bogus").exit_code == 2

    def test_every_command_has_help(self, run: Run) -> None:
        from typer.core import TyperGroup

        group = command()
        assert isinstance(group, TyperGroup)
        names = sorted(group.commands)
        assert len(names) >= 20
        for name in names:
            result = run(name, "--help")
            assert result.exit_code == 0, name
            assert "Example:" in result.stdout, f"{name} --help has no example"


class TestAsAProcess:
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("MEASURES_FILE", "NO_COLOR")}
        return env

    def test_module_entry_from_the_repository_root(self) -> None:
        result = run_measures(["list", "--format", "json"], cwd=REPO, base=self.env())
        assert result.returncode == 0, result.stderr
        assert [r["id"] for r in json.loads(result.stdout)] == list(range(1, 32))

    def test_piped_table_has_no_colour_codes(self, ledger: Path) -> None:
        result = run_measures(["report"], base=self.env())
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "By owner" in result.stdout

    def test_fast_version_path(self) -> None:
        result = run_measures(["--version"])
        assert result.stdout.strip() == f"measures {__version__}"


def test_help_lists_reading_commands_first(run: Run) -> None:
    shown = run("--help").stdout
    commands = shown.split("Commands:", 1)[1]
    order = [commands.index(f"  {name} ") for name in ("list", "done", "report", "git-setup")]
    assert order == sorted(order)


class TestNumbersAsTyped:
    """Whole numbers in any decimal digits (a Chinese keyboard types ３); anything else refused."""

    def test_full_width_digits_are_an_id(self, run: Run, ledger: Path) -> None:
        result = run("show", "３", "--format", "json")
        assert result.exit_code == 0
        assert json.loads(result.stdout)["id"] == 3

    @pytest.mark.parametrize(
        "args",
        [
            ["show", "²"],
            ["list", "--due-within", "²"],
            ["report", "--due-within", "²"],
        ],
    )
    def test_other_digits_are_one_clear_error(
        self, run: Run, ledger: Path, args: list[str]
    ) -> None:
        result = run(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
        assert "'²'" in result.stderr
        assert "Traceback" not in result.output
