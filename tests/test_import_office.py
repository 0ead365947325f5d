"""`import` of the tables offices write: their headers, cell forms, lifecycle and --dry-run."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from measures.errors import BadValue
from measures.exchange.columns import find_header, heading_key, read_header
from measures.exchange.table import import_rows, read_table
from measures.ledger.store import read_ledger
from measures.model.records import Action, Ledger, Measure, Plan, Status

from .conftest import Run

AT = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 5)


def empty() -> Ledger:
    return Ledger(plan=Plan(name="方案"))


class TestHeader:
    def test_title_rows_blank_rows_and_filing_lines_above_the_header_are_skipped(self) -> None:
        table: list[list[Any]] = [
            ["昆区2026年营商环境任务分解表", None, None, None],
            [None, None, None, None],
            ["填报单位：区政务服务局", None, "填报时间：2026年3月1日", None],
            ["序号", "工作任务", "牵头单位", "完成时限"],
            [1, "推行企业开办“一网通办”", "区市场监督管理局", "2026-12-31"],
        ]
        assert find_header(table) == 3
        header, clashes = read_header(table, 3)
        assert clashes == [] and header.row == 4 and header.year == 2026
        assert [c.field for c in header.columns if c] == ["id", "title", "owner", "deadline"]
        ledger, summary = import_rows(empty(), table, "表.xlsx", "li", AT, TODAY)
        (measure,) = ledger.measures
        assert (measure.id, measure.owner, measure.deadline) == (
            1,
            "区市场监督管理局",
            date(2026, 12, 31),
        )
        assert summary.added == [1]

    @pytest.mark.parametrize(
        "headings",
        [
            ["id", "title", "title_en", "owner", "partners", "deadline", "status", "done_on"],
            ["编号", "举措", "英文标题", "牵头单位", "配合单位", "完成时限", "状态", "完成日期"],
            [
                "序号",
                "重点任务",
                "英文标题",
                "主责单位",
                "协办单位",
                "截止时间",
                "完成情况",
                "完成日期",
            ],
            [" ID ", "Title", "TITLE_EN", "Owner", "Partners", "Deadline", "Status", "Done_On"],
        ],
    )
    def test_the_names_each_field_is_read_by(self, headings: list[str]) -> None:
        header, clashes = read_header([headings], 0)
        assert clashes == []
        fields = [c.field for c in header.columns if c]
        assert fields == [
            "id", "title", "title_en", "owner", "partners", "deadline", "status", "done_on",
        ]  # fmt: skip

    def test_headings_are_matched_without_spaces_line_breaks_or_ascii_case(self) -> None:
        assert heading_key(" 完成\n时限\u3000") == "完成时限"
        assert heading_key("Done_On") == "done_on"
        assert heading_key("ＩＤ") == "ＩＤ"  # full-width letters are not ASCII: kept as written

    def test_finish_time_is_the_deadline_unless_a_deadline_column_is_beside_it(self) -> None:
        plan, _ = read_header([["序号", "工作任务", "完成时间"]], 0)
        feedback, _ = read_header([["序号", "完成时限", "完成情况", "完成时间"]], 0)
        assert plan.done_time == "deadline" and plan.column("deadline") is not None
        assert feedback.done_time == "done_on" and feedback.column("done_on") is not None

    def test_unknown_columns_are_ignored_and_listed(self) -> None:
        table: list[list[Any]] = [
            ["序号", "工作任务", "责任人", "联系电话"],
            [1, "任务", "张三", "1"],
        ]
        file = read_table(table, "x")
        assert file.ignored == ["责任人", "联系电话"] and file.problems == []

    def test_two_columns_of_one_field_are_an_error_naming_both(self) -> None:
        table: list[list[Any]] = [
            ["序号", "编号", "工作任务", "完成时限"],
            [1, 1, "任务", "2026-12-31"],
        ]
        with pytest.raises(BadValue) as caught:
            import_rows(empty(), table, "x.xlsx", "li", AT, TODAY)
        assert caught.value.message == (
            "x.xlsx, row 1, column B (编号): columns A (序号) and B (编号) are both read as id."
        )

    def test_a_sheet_with_no_header_row(self) -> None:
        with pytest.raises(BadValue, match="no row is a header"):
            import_rows(empty(), [["甲", "乙"], [1, 2]], "x.xlsx", "li", AT, TODAY)


def office_book(path: Path, rows: list[list[Any]], merge: str | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


TASK_TABLE: list[list[Any]] = [
    ["昆区2026年优化营商环境重点任务分解表", None, None, None, None, None],
    [None, None, None, None, None, None],
    ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况"],
    [1, "企业开办一网通办", "区市场监督管理局（牵头）、区政务服务局", "区税务局", "2026-12-31", ""],
    [2, "证照分离", "区税务局牵头，区财政局配合", None, "2026/12/31", "已召开部署会"],
    [3, "办税便利化", "区税务局", "区财政局、区人社局；区医保局", "2026.12.31", None],
    [4, "项目审批", "区住建局", "区自然资源局/区发改委\n区应急局", "20261231", None],
    [5, "日期单元格", "区住建局", None, datetime(2026, 12, 31), None],
    [6, "带时间", "区住建局", None, "2026-12-31 00:00:00", None],
    [7, "序列号数字", "区住建局", None, 46387, None],
    [8, "序列号文本", "区住建局", None, "46387", None],
    [9, "中文日期", "区住建局", None, "2026年12月31日", None],
    [10, "月底", "区住建局", None, "2026年6月底前", None],
    [11, "月", "区住建局", None, "2026年2月", None],
    [12, "年底", "区住建局", None, "2020年年底前", None],
    [13, "年底二", "区住建局", None, "2027年底", None],
    [14, "季度", "区住建局", None, "2026年第一季度", None],
    [15, "季度二", "区住建局", None, "三季度", None],
    [16, "半年", "区住建局", None, "上半年", None],
    [17, "下半年", "区住建局", None, "下半年", None],
    [18, "无年份", "区住建局", None, "12月底前", None],
    [19, "长期", "区住建局", None, "长期坚持", None],
    [20, "持续", "区住建局", None, "持续推进", None],
    [21, "常态化", "区住建局", None, "常态化", None],
]


def fields_of(path: Path) -> dict[int, Measure]:
    return {m.id: m for m in read_ledger(path).ledger.measures}


class TestTaskTable:
    def test_a_task_table_as_an_office_writes_it(self, run: Run, isolated: Path) -> None:
        assert run("init", "--empty", "--name", "方案").exit_code == 0
        office_book(isolated / "表.xlsx", TASK_TABLE, merge="A1:F1")
        result = run("import", "表.xlsx", "--by", "li")
        assert result.exit_code == 0, result.output
        assert "21 added" in result.stderr
        m = fields_of(isolated / "measures.toml")
        assert (m[1].owner, m[1].partners) == ("区市场监督管理局", ("区政务服务局", "区税务局"))
        assert (m[2].owner, m[2].partners) == ("区税务局", ("区财政局",))
        assert m[3].partners == ("区财政局", "区人社局", "区医保局")
        assert m[4].partners == ("区自然资源局", "区发改委", "区应急局")
        for ident in range(1, 10):
            assert (m[ident].deadline, m[ident].deadline_text) == (date(2026, 12, 31), "")
        expected = {
            10: (date(2026, 6, 30), "2026年6月底前"),
            11: (date(2026, 2, 28), "2026年2月"),
            12: (date(2020, 12, 31), "2020年年底前"),
            13: (date(2027, 12, 31), "2027年底"),
            14: (date(2026, 3, 31), "2026年第一季度"),
            15: (date(2026, 9, 30), "三季度"),
            16: (date(2026, 6, 30), "上半年"),
            17: (date(2026, 12, 31), "下半年"),
            18: (date(2026, 12, 31), "12月底前"),  # the year of the title row
            19: (None, "长期坚持"),
            20: (None, "持续推进"),
            21: (None, "常态化"),
        }
        assert {i: (m[i].deadline, m[i].deadline_text) for i in expected} == expected
        assert [e.note for e in m[2].log if e.action is Action.NOTE] == ["已召开部署会"]
        assert not any(e.action is Action.NOTE for e in m[1].log)

    def test_a_month_with_no_year_anywhere_is_an_error_asking_for_it(self) -> None:
        table: list[list[Any]] = [["序号", "工作任务", "完成时限"], [1, "任务", "12月底前"]]
        with pytest.raises(BadValue) as caught:
            import_rows(empty(), table, "x.xlsx", "li", AT, TODAY)
        assert "column C (完成时限): '12月底前' names no year" in caught.value.message
        plan = Ledger(plan=Plan(name="方案", issued=date(2025, 1, 2)))
        (measure,) = import_rows(plan, table, "x.xlsx", "li", AT, TODAY)[0].measures
        assert measure.deadline == date(2025, 12, 31)

    def test_excel_serials_only_in_a_sane_range(self) -> None:
        table: list[list[Any]] = [["序号", "工作任务", "完成时限"], [1, "任务", 123]]
        with pytest.raises(BadValue, match="must be a date"):
            import_rows(empty(), table, "x.xlsx", "li", AT, TODAY)


FEEDBACK: list[list[Any]] = [
    ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "完成情况", "完成时间", "进展情况",
     "存在问题", "下步打算", "备注", "联系人"],
    [1, "任务一", "区税务局", None, "2026-12-31", "已完成", "2026-03-01", "系统已上线",
     "无", None, None, "张三"],
    [2, "任务二", "区税务局", None, "2026-12-31", "序时推进", None, "完成初稿",
     "资金未到位", "4月底前报审", "附件3份", "李四"],
    [3, "任务三", "区税务局", None, "2026-12-31", "受阻", None, "等待市级接口",
     None, None, None, None],
]  # fmt: skip


def task_ledger(run: Run, isolated: Path) -> Path:
    assert run("init", "--empty", "--name", "方案").exit_code == 0
    rows: list[list[Any]] = [["序号", "工作任务", "牵头单位", "完成时限"]]
    rows += [[i, f"任务{i}", "区税务局", "2026-12-31"] for i in (1, 2, 3, 4)]
    office_book(isolated / "plan.xlsx", rows)
    assert run("import", "plan.xlsx").exit_code == 0
    return isolated / "measures.toml"


class TestFeedbackSheet:
    def test_statuses_days_done_and_notes(self, run: Run, isolated: Path) -> None:
        path = task_ledger(run, isolated)
        office_book(isolated / "fb.xlsx", FEEDBACK)
        result = run("import", "fb.xlsx", "--by", "wang")
        assert result.exit_code == 0, result.output
        assert "Columns not read: 联系人." in result.stderr
        m = fields_of(path)
        assert (m[1].status, m[1].done_on) == (Status.DONE, date(2026, 3, 1))
        assert m[1].deadline == date(2026, 12, 31)  # 完成时间 was the day done
        assert m[2].status is Status.DOING
        assert [e.action for e in m[2].log[-2:]] == [Action.START, Action.NOTE]
        assert (
            m[2].log[-1].note
            == "完成初稿\n存在问题：资金未到位\n下步打算：4月底前报审\n备注：附件3份"
        )
        assert m[3].status is Status.BLOCKED and m[3].log[-1].note == "等待市级接口"
        # The same file again: nothing moves, nothing is written.
        before = path.read_bytes()
        again = run("import", "fb.xlsx", "--by", "wang")
        assert again.exit_code == 0, again.output
        assert "0 added, 0 updated, 3 unchanged" in again.stderr
        assert path.read_bytes() == before

    @pytest.mark.parametrize(
        ("status", "words"),
        [
            ("已销号", "measure 1 is done; an import does not sign a measure off as verified"),
            ("推进中", "measure 1 is done; an import does not reopen it as doing"),
        ],
    )
    def test_signing_off_or_reopening_is_refused(
        self, run: Run, isolated: Path, status: str, words: str
    ) -> None:
        path = task_ledger(run, isolated)
        assert run("done", "1").exit_code == 0
        before = path.read_bytes()
        office_book(isolated / "x.xlsx", [["序号", "完成情况"], [1, status]])
        result = run("import", "x.xlsx")
        assert result.exit_code == 1
        assert f"Error: x.xlsx, row 2, column B (完成情况): {words}" in result.stderr
        assert path.read_bytes() == before

    def test_todo_straight_to_signed_off_is_refused_in_chinese_too(
        self, run: Run, isolated: Path
    ) -> None:
        path = task_ledger(run, isolated)
        before = path.read_bytes()
        write_rows(
            isolated / "x.csv", [["序号", "状态", "完成日期"], ["4", "已销号", "2026/03/01"]]
        )
        result = run("--lang", "zh", "import", "x.csv")
        assert result.exit_code == 1
        assert (
            "第2行，B（状态）列：第4条举措的状态为未启动；导入不能将其改为已销号" in result.stderr
        )
        assert path.read_bytes() == before


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


class TestOwnHeadings:
    @pytest.mark.parametrize("lang", ["en", "zh"])
    def test_the_tools_own_headings(self, run: Run, isolated: Path, lang: str) -> None:
        path = task_ledger(run, isolated)
        headings = (
            ["id", "title", "owner", "deadline", "status"]
            if lang == "en"
            else ["编号", "举措", "牵头单位", "完成时限", "状态"]
        )
        write_rows(
            isolated / "x.csv", [headings, ["2", "新名", "区财政局", "2026-06-30", "推进中"]]
        )
        assert run("import", "x.csv").exit_code == 0
        m = fields_of(path)[2]
        assert (m.title, m.owner, m.deadline, m.status) == (
            "新名",
            "区财政局",
            date(2026, 6, 30),
            Status.DOING,
        )


class TestDryRunAndErrors:
    def test_dry_run_lists_the_changes_and_writes_nothing(self, run: Run, isolated: Path) -> None:
        path = task_ledger(run, isolated)
        office_book(isolated / "fb.xlsx", FEEDBACK)
        before = path.read_bytes()
        result = run("import", "fb.xlsx", "--dry-run")
        assert result.exit_code == 0, result.output
        assert path.read_bytes() == before
        out = result.stdout
        assert "G (完成时间) → done_on" in out and "完成时间 is read as the day done" in out
        assert "Columns not read: 联系人." in out
        assert (
            "~ measure 1: 任务一" in out
            and "title: 任务1 → 任务一" in out
            and "done: todo → done" in out
        )
        assert "done_on: (none) → 2026-03-01" not in out  # the done entry says it
        assert "note: 完成初稿" in out and "      存在问题：资金未到位" in out
        assert "block: todo → blocked (等待市级接口)" in out
        assert out.endswith("Dry run: 0 added, 3 updated, 0 unchanged; nothing written.\n")
        zh = run("--lang", "zh", "import", "fb.xlsx", "--dry-run")
        assert "完成：未启动 → 已完成" in zh.stdout and path.read_bytes() == before

    def test_every_error_at_once_with_the_users_exact_text(self, run: Run, isolated: Path) -> None:
        path = task_ledger(run, isolated)
        before = path.read_bytes()
        rows = [
            ["序号", "工作任务", "完成时限", "状态"],
            ["1", "任务", "2026年2月30日", "推进中"],
            ["2", "任务", "XX年底", "Finished"],
            ["X", "任务", "2026-01-01", "推进中"],
        ]
        write_rows(isolated / "x.csv", rows)
        result = run("import", "x.csv")
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert lines[0] == "Error: x.csv: 4 problems:"
        assert (
            lines[1]
            == "  row 2, column C (完成时限): '2026年2月30日' does not exist on the calendar"
        )
        assert (
            lines[2].startswith("  row 3, column C (完成时限): must be a date")
            and "'XX年底'" in lines[2]
        )
        assert lines[3].startswith("  row 3, column D (状态): 'Finished' is not a status")
        assert lines[4].startswith("  row 4, column A (序号): must be a positive whole number")
        assert path.read_bytes() == before
