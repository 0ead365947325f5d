"""`import` of the tables offices write: their headers, cell forms, lifecycle and --dry-run."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from measures.errors import BadValue
from measures.exchange.columns import find_header, heading_key, read_header
from measures.exchange.table import import_rows, read_table
from measures.model.records import Ledger, Plan

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
