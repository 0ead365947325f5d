"""The lifecycle commands, show and log, through the real command line."""

from __future__ import annotations

import difflib
import json
import tomllib
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block


def shown(run: Run, ident: int) -> dict[str, Any]:
    result = run("show", str(ident), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def in_file(path: Path, ident: int) -> dict[str, Any]:
    """The measure's record as the TOML file itself holds it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return next(m for m in data["measures"] if m["id"] == ident)


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each change a minute after the one before, so the log's order is plain."""
    times = (datetime(2026, 1, 5, 9, 0, tzinfo=UTC) + timedelta(minutes=n) for n in count())
    monkeypatch.setattr("measures.cli.change_commands.clock_now", lambda: next(times))


def ok(run: Run, *args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result


class TestLifecycle:
    def test_add_start_block_reopen_done_verify(self, run: Run, ledger: Path) -> None:
        result = ok(run, "add", "--title", "推行证照分离", "--owner", "区市场监督管理局",
                    "--deadline", "2021/6/30", "--by", "li")  # fmt: skip
        assert "Added measure 32" in result.stderr
        record = in_file(ledger, 32)
        assert record["status"] == "todo" and record["deadline"] == date(2021, 6, 30)
        assert [e["action"] for e in record["log"]] == ["add"]
        assert shown(run, 32)["status"] == "todo"

        ok(run, "start", "32", "--note", "部署会", "--by", "li")
        record = in_file(ledger, 32)
        assert record["status"] == "doing"
        assert record["log"][-1] | {"at": None} == {
            "at": None, "by": "li", "action": "start", "from": "todo", "to": "doing",
            "note": "部署会",
        }  # fmt: skip
        assert shown(run, 32)["status"] == "doing"

        ok(run, "block", "32", "--reason", "等待市级系统接口")
        record = in_file(ledger, 32)
        assert record["status"] == "blocked"
        assert (record["log"][-1]["action"], record["log"][-1]["note"]) == (
            "block",
            "等待市级系统接口",
        )
        assert shown(run, 32)["log"][-1]["from"] == "doing"

        result = ok(run, "reopen", "32")
        assert "now doing" in result.stderr
        assert in_file(ledger, 32)["status"] == "doing"
        assert shown(run, 32)["log"][-1]["to"] == "doing"

        ok(run, "done", "32", "--on", "2026-01-10")
        record = in_file(ledger, 32)
        assert (record["status"], record["done_on"]) == ("done", date(2026, 1, 10))
        assert shown(run, 32)["done_on"] == "2026-01-10"

        ok(run, "verify", "32", "--by", "zhao", "--note", "材料齐全")
        record = in_file(ledger, 32)
        assert (record["status"], record["done_on"]) == ("verified", date(2026, 1, 10))
        view = shown(run, 32)
        assert view["status"] == "verified" and view["overdue"] is False
        assert [e["action"] for e in view["log"]] == [
            "add", "start", "block", "reopen", "done", "verify",
        ]  # fmt: skip
        assert view["log"][-1]["by"] == "zhao"

        table = ok(run, "show", "32").stdout
        assert "推行证照分离" in table and "verified" in table and "2026-01-10" in table
        assert "等待市级系统接口" in table and "6 log entries" in table

    def test_extend_then_drop(self, run: Run, ledger: Path) -> None:
        result = ok(run, "extend", "5", "--to", "2021年3月31日", "--reason", "项目延期落地")
        assert "Extended 5 to 2021-03-31" in result.stderr
        record = in_file(ledger, 5)
        assert record["deadline"] == date(2021, 3, 31)
        entry = record["log"][-1]
        assert (entry["action"], entry["field"], entry["old"], entry["new"], entry["note"]) == (
            "extend", "deadline", date(2020, 12, 31), date(2021, 3, 31), "项目延期落地",
        )  # fmt: skip
        view = shown(run, 5)
        assert view["deadline"] == "2021-03-31" and view["status"] == "todo"
        assert view["log"][-1]["old"] == "2020-12-31"

        ok(run, "drop", "5", "--reason", "并入第4条")
        record = in_file(ledger, 5)
        assert record["status"] == "dropped" and record["log"][-1]["note"] == "并入第4条"
        view = shown(run, 5)
        assert view["status"] == "dropped" and view["overdue"] is False
        assert [e["action"] for e in view["log"]] == ["extend", "drop"]
        assert "项目延期落地" in ok(run, "show", "5").stdout

    def test_only_the_changed_lines_move(self, run: Run, ledger: Path) -> None:
        before = ledger.read_text(encoding="utf-8").splitlines()
        ok(run, "start", "2", "--by", "wang")
        after = ledger.read_text(encoding="utf-8").splitlines()
        diff = list(difflib.unified_diff(before, after, lineterm="", n=0))[2:]
        removed = [line[1:] for line in diff if line.startswith("-")]
        added = [line[1:] for line in diff if line.startswith("+")]
        assert removed == ['status = "todo"']
        assert added[0] == 'status = "doing"'
        assert "[[measures.log]]" in added and 'action = "start"' in added

    def test_several_ids_at_once_or_none(self, run: Run, ledger: Path) -> None:
        ok(run, "start", "1", "2")
        assert [shown(run, i)["status"] for i in (1, 2)] == ["doing", "doing"]
        before = ledger.read_bytes()
        result = run("start", "3", "1")
        assert result.exit_code == 1
        assert "measure 1 is doing" in result.stderr
        assert ledger.read_bytes() == before


class TestRefusals:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["verify", "3"], "measure 3 is todo; only a measure that is done can be verified"),
            (["reopen", "3"], "It is open already"),
            (["block", "3", "--reason", "  "], "block needs a reason"),
            (["extend", "3", "--to", "2020-12-01", "--reason", "x"], "not after"),
            (["extend", "3", "--to", "2021-02-30", "--reason", "x"], "'2021-02-30' does not exist"),
            (["note", "3", " "], "the note is empty"),
            (["set", "3"], "nothing to set"),
            (["set", "3", "--title", " "], "title: must not be empty"),
            (["set", "3", "--partner", "A", "--no-partners"], "contradict"),
            (["add", "--title", "x", "--owner", "", "--deadline", "2021-02-29"], "does not exist"),
            (["add", "--title", "x", "--owner", "", "--deadline", "+1d", "--id", "4"], "exists"),
            (["add", "--title", "x", "--owner", "", "--deadline", "+1d", "--id", "x"], "not a"),
            (["show", "99"], "no measure has id 99"),
            (["start", "99"], "no measure has id 99"),
        ],
    )
    def test_refused_with_exit_1_and_nothing_written(
        self, run: Run, ledger: Path, args: list[str], message: str
    ) -> None:
        before = ledger.read_bytes()
        result = run(*args)
        assert result.exit_code == 1, result.stdout
        assert message in result.stderr and result.stderr.startswith("Error: ")
        assert ledger.read_bytes() == before

    def test_verify_of_a_measure_not_done_changes_nothing(self, run: Run, ledger: Path) -> None:
        ok(run, "start", "7")
        before = ledger.read_bytes()
        result = run("verify", "7")
        assert result.exit_code == 1
        assert "measure 7 is doing" in result.stderr
        assert ledger.read_bytes() == before
        assert shown(run, 7)["status"] == "doing"

    @pytest.mark.parametrize(
        "args",
        [
            ["block", "3"],
            ["drop", "3"],
            ["extend", "3", "--reason", "x"],
            ["extend", "3", "--to", "+3d"],
        ],
    )
    def test_missing_required_options_are_usage_errors(
        self, run: Run, ledger: Path, args: list[str]
    ) -> None:
        before = ledger.read_bytes()
        assert run(*args).exit_code == 2
        assert ledger.read_bytes() == before


class TestSetAndAdd:
    def test_set_corrects_fields_and_logs_each(self, run: Run, ledger: Path) -> None:
        result = ok(run, "set", "12", "--title", "工程建设项目审批提速",
                    "--title-en", "Faster approvals", "--owner", "区住房和城乡建设局",
                    "--deadline", "2021-06-30",
                    "--partner", "区自然资源局", "--partner", "区政务服务局")  # fmt: skip
        assert "Set on 12: title, title_en, owner, deadline, partners" in result.stderr
        view = shown(run, 12)
        assert view["title"] == "工程建设项目审批提速" and view["owner"] == "区住房和城乡建设局"
        assert view["partners"] == ["区自然资源局", "区政务服务局"]
        assert view["deadline"] == "2021-06-30"
        fields = [(e["action"], e["field"]) for e in view["log"]]
        assert ("set", "deadline") in fields and all(a == "set" for a, _ in fields)
        ok(run, "set", "12", "--no-partners")
        assert shown(run, 12)["partners"] == []
        again = ok(run, "set", "12", "--owner", "区住房和城乡建设局")
        assert "Nothing changed" in again.stderr

    def test_add_takes_the_next_free_id_or_the_one_given(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(PLAN_HEADER + measure_block(1) + measure_block(4))
        ok(run, "add", "--title", "五", "--owner", "", "--deadline", "2021-01-31")
        ok(run, "add", "--title", "二", "--owner", "区商务局", "--deadline", "2021-01-31",
           "--id", "2", "--title-en", "Two", "--partner", "区税务局")  # fmt: skip
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert [m["id"] for m in data["measures"]] == [1, 4, 5, 2]
        assert shown(run, 2)["partners"] == ["区税务局"] and shown(run, 2)["title_en"] == "Two"
        assert path.read_text(encoding="utf-8").startswith(PLAN_HEADER + measure_block(1))

    def test_note(self, run: Run, ledger: Path) -> None:
        ok(run, "note", "9", "目录初稿已完成", "--by", "sun")
        (entry,) = shown(run, 9)["log"]
        assert (entry["action"], entry["note"], entry["by"]) == ("note", "目录初稿已完成", "sun")
        assert shown(run, 9)["status"] == "todo"


class TestShow:
    def test_json_is_the_list_record(self, run: Run, ledger: Path) -> None:
        listed = json.loads(ok(run, "list", "--format", "json").stdout)
        assert shown(run, 6) == listed[5]

    def test_table_has_every_field_inert(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(
            PLAN_HEADER
            + measure_block(1, title="[bold]粗体[/bold] \\u001b[31m", extra='source = "原文"\n')
        )
        ok(run, "note", "1", "进展\x1b[2J")
        out = ok(run, "show", "1").stdout
        assert "[bold]粗体[/bold] \\x1b[31m" in out and "\x1b" not in out
        for label in (
            "ID",
            "Title",
            "Owner",
            "Partners",
            "Deadline",
            "Status",
            "Done on",
            "Source",
        ):
            assert label in out
        assert "原文" in out and "进展\\x1b[2J" in out
        assert "overdue" in out  # deadline 2020-12-31, still todo


class TestLog:
    def test_every_entry_oldest_first_with_its_id(self, run: Run, ledger: Path) -> None:
        ok(run, "start", "3")
        ok(run, "note", "1", "第一条")
        ok(run, "done", "3")
        rows = json.loads(ok(run, "log", "--format", "json").stdout)
        assert [(r["id"], r["action"]) for r in rows] == [(3, "start"), (1, "note"), (3, "done")]
        assert [r["at"] for r in rows] == [f"2026-01-05T09:0{n}:00Z" for n in range(3)]
        assert set(rows[0]) >= {"at", "by", "action", "from", "to", "note", "field", "old", "new"}
        only = json.loads(ok(run, "log", "3", "--format", "json").stdout)
        assert [(r["id"], r["action"]) for r in only] == [(3, "start"), (3, "done")]
        table = ok(run, "log").stdout
        assert "第一条" in table and "todo → doing" in table and "3 log entries" in table

    def test_since_filters_by_the_day_of_at(self, run: Run, write_ledger: WriteLedger) -> None:
        entries = "".join(
            f'\n[[measures.log]]\nat = {at}\nby = "wang"\naction = "note"\nnote = "{n}"\n'
            for at, n in (("2020-11-30T23:00:00+08:00", "a"), ("2020-12-01T08:00:00+08:00", "b"))
        )
        write_ledger(PLAN_HEADER + measure_block(1, extra=entries))
        rows = json.loads(ok(run, "log", "--since", "2020-12-01", "--format", "json").stdout)
        assert [r["note"] for r in rows] == ["b"]
        assert len(json.loads(ok(run, "log", "--format", "json").stdout)) == 2

    def test_unknown_id_and_bad_date(self, run: Run, ledger: Path) -> None:
        assert "no measure has id 40" in run("log", "40").stderr
        result = run("log", "--since", "2020-02-30")
        assert result.exit_code == 1 and "'2020-02-30' does not exist" in result.stderr

    def test_empty_log(self, run: Run, ledger: Path) -> None:
        assert json.loads(ok(run, "log", "--format", "json").stdout) == []
        assert "0 log entries" in ok(run, "log").stdout
