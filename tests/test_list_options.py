"""list: --due-within, --search, --sort, and CSV and Markdown output."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from measures.domain.queries import SortKey, is_due_within, mentions, sort_measures
from measures.exchange.cells import neutralise
from measures.model import validate
from measures.model.records import Measure
from measures.render.markdown import cell

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block


def ids(run: Run, *args: str) -> list[int]:
    result = run("list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def mixed(write_ledger: WriteLedger) -> Path:
    note = (
        '\n[[measures.log]]\nat = 2021-01-05T10:00:00+08:00\nby = "wang"\naction = "note"\n'
        'note = "接口已联调"\n'
    )
    return write_ledger(
        PLAN_HEADER
        + measure_block(1, title="企业名称自主申报", deadline=in_days(20), owner="区市场监督管理局")
        + measure_block(2, title="纳税人线上一表申请", deadline=in_days(3), owner="区税务局")
        + measure_block(3, title="关联事项并联办理", deadline=in_days(0), owner="", extra=note)
        + measure_block(
            4, title="已完成", status="done", deadline=in_days(5), extra="done_on = 2021-01-01\n"
        )
        + measure_block(5, title="Late one", deadline=in_days(-2), status="blocked")
        + measure_block(6, title="Self-declared names", deadline=in_days(14), owner="区税务局")
    )


class TestFilters:
    def test_due_within_counts_open_measures_from_today(self, run: Run, mixed: Path) -> None:
        assert ids(run, "--due-within", "14") == [2, 3, 6]
        assert ids(run, "--due-within", "0") == [3]
        assert ids(run, "--due-within", "30") == [1, 2, 3, 6]

    @pytest.mark.parametrize("value", ["-1", "two", "1.5", ""])
    def test_due_within_takes_a_whole_number(self, run: Run, mixed: Path, value: str) -> None:
        result = run("list", "--due-within", value)
        assert result.exit_code == 1
        assert "is not a number of days" in result.stderr

    def test_search_looks_in_titles_owner_and_notes(self, run: Run, mixed: Path) -> None:
        assert ids(run, "--search", "税务") == [2, 6]
        assert ids(run, "--search", "联调") == [3]
        assert ids(run, "--search", "self-DECLARED") == [6]
        assert ids(run, "--search", "申报") == [1]
        assert ids(run, "--search", "nowhere") == []

    def test_filters_combine(self, run: Run, mixed: Path) -> None:
        assert ids(run, "--search", "税务", "--due-within", "5") == [2]
        assert ids(run, "--overdue", "--status", "blocked") == [5]


class TestSort:
    def test_each_key(self, run: Run, mixed: Path) -> None:
        assert ids(run) == [1, 2, 3, 4, 5, 6]
        assert ids(run, "--sort", "deadline") == [5, 3, 2, 4, 6, 1]
        # 区市场… < 区政务服务局 (measures 4, 5) < 区税务局 by code point; unassigned last.
        assert ids(run, "--sort", "owner") == [1, 4, 5, 2, 6, 3]
        assert ids(run, "--sort", "status") == [1, 2, 3, 6, 5, 4]

    def test_an_unknown_key_is_a_usage_error(self, run: Run, mixed: Path) -> None:
        assert run("list", "--sort", "title").exit_code == 2


class TestCsv:
    def test_every_measure_with_a_header(self, run: Run, ledger: Path) -> None:
        result = run("list", "--format", "csv")
        assert result.exit_code == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert len(rows) == 31
        assert rows[0]["id"] == "1" and rows[0]["title"].startswith("企业名称自主申报、")
        assert (rows[0]["owner"], rows[0]["owner_basis"]) == ("区市场监督管理局", "inferred")
        assert rows[0]["overdue"] == "true"
        assert rows[0]["days_overdue"] == str((date.today() - date(2020, 12, 31)).days)
        assert rows[11]["owner"] == "" and rows[0]["done_on"] == ""
        assert rows[11]["owner_basis"] == ""

    def test_formulas_are_neutralised_and_commas_quoted(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(
            PLAN_HEADER
            + measure_block(1, title='=HYPERLINK(\\"http://x\\")', owner="@SUM(A1)")
            + measure_block(2, title="+1, -1", owner="-x", extra='partners = ["甲", "乙"]\n')
        )
        rows = list(csv.reader(io.StringIO(run("list", "--format", "csv").stdout)))
        assert rows[1][1] == '\'=HYPERLINK("http://x")' and rows[1][3] == "'@SUM(A1)"
        assert rows[2][1] == "'+1, -1" and rows[2][3] == "'-x" and rows[2][4] == "甲；乙"


class TestMarkdown:
    def test_a_table_of_the_measures(self, run: Run, ledger: Path) -> None:
        out = run("list", "--format", "markdown", "--owner", "税务").stdout
        lines = out.splitlines()
        assert lines[0] == "| ID | Measure | Owner | Deadline | Status | Overdue | Light |"
        assert lines[1] == "| --- | --- | --- | --- | --- | --- | --- |"
        days = (date.today() - date(2020, 12, 31)).days
        assert lines[2] == (
            "| 3 | Non-contact tax service for enterprises: one-form online application and "
            "one-click tax filing | 区税务局 (inferred) "
            f"| 2020-12-31 (2020年年底前) | todo | {days} d | red |"
        )
        assert len([line for line in lines if line.startswith("| ")]) == 2 + 1
        assert "1 measures, 1 overdue" in out

    def test_cells_stay_cells(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(PLAN_HEADER + measure_block(1, title="a|b\\nc *d* \\u001b[31m"))
        row = run("list", "--format", "markdown").stdout.splitlines()[2]
        assert row.startswith("| 1 | a\\|b c \\*d\\* \\\\x1b\\[31m | ")
        assert row.count(" | ") == 6


class TestCore:
    def measure(self, **changes: object) -> Measure:
        base = {"id": 1, "title": "t", "deadline": date(2021, 1, 10), "status": "todo"}
        return validate.measure({**base, **changes})

    def test_is_due_within(self) -> None:
        today = date(2021, 1, 1)
        assert is_due_within(self.measure(), today, 9)
        assert not is_due_within(self.measure(), today, 8)
        assert not is_due_within(self.measure(), date(2021, 1, 11), 30)  # overdue, not due
        done = self.measure(status="done", done_on=date(2021, 1, 2))
        assert not is_due_within(done, today, 30)

    def test_mentions_is_case_blind(self) -> None:
        assert mentions(self.measure(title_en="One-Form"), "one-form")
        assert not mentions(self.measure(source="只在来源里"), "来源")

    def test_sort_by_owner_puts_the_unassigned_last(self) -> None:
        measures = [
            self.measure(id=1),
            self.measure(id=2, owner="乙"),
            self.measure(id=3, owner="甲"),
        ]
        assert [m.id for m in sort_measures(measures, SortKey.OWNER)] == [2, 3, 1]

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("=1+1", "'=1+1"),
            ("+86", "'+86"),
            ("-3", "'-3"),
            ("@A1", "'@A1"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("", ""),
            ("企业", "企业"),
        ],
    )
    def test_neutralise(self, value: str, expected: str) -> None:
        assert neutralise(value) == expected

    def test_markdown_cell(self) -> None:
        assert cell("a|b") == "a\\|b"
        assert cell("x\r\ny\nz") == "x y z"  # one line: a line break would end the row
        assert cell("\\|") == "\\\\\\|"
        assert cell("<script>") == "\\<script\\>"
        assert cell(3) == "3"
