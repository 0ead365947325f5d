"""`report` in every format, to stdout and to a file."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from measures.domain.reports import build_report
from measures.model import validate
from measures.model.records import Ledger, Plan
from measures.render.html import report_html
from measures.render.markdown import cell, report_markdown

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

SOON = (date.today() + timedelta(days=5)).isoformat()
LEDGER = (
    PLAN_HEADER
    + measure_block(1, title="企业名称自主申报", status="done", extra="done_on = 2020-12-10\n")
    + measure_block(2, title="纳税人线上“一键报税”", owner="区税务局")
    + measure_block(3, title="关联事项并联办理", deadline=SOON, owner="区税务局")
    + measure_block(
        4,
        title="已核验",
        status="verified",
        owner="区税务局",
        extra="done_on = 2020-12-20\n",
    )
)


class Elements(HTMLParser):
    """Every start tag with its attributes, to look for elements as a browser would."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def with_class(self, tag: str, css: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and css in (a.get("class") or "").split()]


def elements(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


class TestTable:
    def test_due_soon_and_done_apart_from_verified(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(LEDGER)
        result = run("report")
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert "2 complete (50%: 1 done, 1 verified)" in out
        assert "Due within 14 days: 1" in out and "关联事项并联办理" in out
        assert "Days left" in out

    def test_due_within_moves_the_window(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        out = run("report", "--due-within", "3").stdout
        assert "Due within 3 days: 0." in out and "关联事项并联办理" not in out

    @pytest.mark.parametrize("junk", ["x", "-1", "1.5", "", "七"])
    def test_junk_due_within_is_a_bad_value(
        self, run: Run, write_ledger: WriteLedger, junk: str
    ) -> None:
        write_ledger(LEDGER)
        result = run("report", "--due-within", junk)
        assert result.exit_code == 1
        assert "--due-within" in result.stderr and "whole number" in result.stderr
        assert result.stdout == ""

    def test_table_to_a_file_has_no_colour(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(LEDGER)
        result = run("report", "--output", "report.txt")
        assert result.exit_code == 0 and result.stdout == ""
        text = (isolated / "report.txt").read_text(encoding="utf-8")
        assert "By owner" in text and "\x1b" not in text
        assert "report.txt" in result.stderr


class TestMarkdown:
    def test_sections_and_tables(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        result = run("report", "--format", "markdown")
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert out.startswith("## 测试方案\n")
        assert "### By owner" in out and "### Overdue" in out and "### Due within 14 days: 1" in out
        assert "| 区税务局 | 3 | 1 | 1 | 2 | 1 | 0 | 33% |" in out
        assert "| --- | --: |" in out
        # Every table row has as many cells as its header.
        for block in re.findall(r"((?:^\|.*\|\n)+)", out, flags=re.M):
            widths = {row.count(" | ") for row in block.splitlines()}
            assert len(widths) == 1, block

    def test_ledger_text_cannot_break_the_table_or_add_markup(self) -> None:
        assert cell("a|b") == "a\\|b"
        assert cell("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
        assert cell("**粗** [链接](http://x)") == "\\*\\*粗\\*\\* \\[链接\\](http://x)"
        assert cell("两\n行") == "两 行"
        assert cell("title_en") == "title_en" and cell("_斜_") == "\\_斜\\_"
        assert cell("\x1b[31m") == "\\\\x1b\\[31m"

    def test_overdue_only(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        out = run("report", "--overdue", "--format", "markdown").stdout
        assert out.startswith("### Overdue as of") and "纳税人线上“一键报税”" in out
        assert "By owner" not in out


class TestCsv:
    def test_the_table_by_owner(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        result = run("report", "--format", "csv")
        assert result.exit_code == 0, result.stderr
        assert not result.stdout.startswith("\ufeff")  # a BOM only in files
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        tax = next(row for row in rows if row["owner"] == "区税务局")
        assert tax == {
            "owner": "区税务局",
            "total": "3",
            "complete": "1",
            "done": "0",
            "verified": "1",
            "in_progress": "2",
            "overdue": "1",
            "extended": "0",
            "completion_pct": "33.3",
            "owner_basis": "",
            "red": "1",
            "yellow": "1",
            "green": "1",
        }

    def test_a_file_starts_with_a_bom(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(LEDGER)
        assert run("report", "--format", "csv", "-o", "owners.csv").exit_code == 0
        raw = (isolated / "owners.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfowner,total,")
        assert "区税务局" in raw.decode("utf-8-sig")

    def test_overdue_only(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        rows = list(csv.reader(io.StringIO(run("report", "--overdue", "--format", "csv").stdout)))
        assert rows[0] == [
            "days_overdue",
            "id",
            "title",
            "owner",
            "deadline",
            "status",
            "owner_basis",
        ]
        assert [row[1] for row in rows[1:]] == ["2"]


class TestHtml:
    def test_one_self_contained_page_with_both_charts(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(LEDGER)
        result = run("report", "--format", "html")
        assert result.exit_code == 0, result.stderr
        page = result.stdout
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
        found = elements(page)
        ids = [attrs.get("id") for tag, attrs in found.tags if tag == "svg"]
        assert ids == ["chart-owners", "chart-burnup"]
        assert len(found.with_class("g", "owner-bar")) == 2  # 区政务服务局, 区税务局
        assert found.with_class("rect", "verified") and found.with_class("rect", "overdue")
        lines = {
            next(c for c in (a["class"] or "").split() if c != "line")
            for a in found.with_class("path", "line")
        }
        assert lines == {"due", "done", "verified"}
        # Nothing to fetch and nothing to run.
        assert not [t for t, _ in found.tags if t in ("script", "link", "img", "iframe")]
        assert not re.search(r"""(?:src|href)\s*=|url\(|@import""", page)
        assert "http://www.w3.org/2000/svg" in page  # the SVG namespace, not a fetch
        assert "https://" not in page and page.count("http://") == page.count(
            "http://www.w3.org/2000/svg"
        )

    def test_every_value_is_escaped(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(
            PLAN_HEADER.replace("测试方案", "<b>方案</b>")
            + measure_block(
                1, title='\\"><img src=x onerror=alert(1)>', owner="<script>alert(1)</script>"
            )
        )
        result = run("report", "--format", "html")
        assert result.exit_code == 0, result.stderr
        page = result.stdout
        assert "<script>" not in page and "<img" not in page and "<b>方案" not in page
        assert "&lt;b&gt;方案&lt;/b&gt;" in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
        assert not [t for t, _ in elements(page).tags if t in ("script", "img")]

    def test_a_file(self, run: Run, write_ledger: WriteLedger, isolated: Path) -> None:
        write_ledger(LEDGER)
        result = run("report", "--format", "html", "--output", "out/../report.html")
        assert result.exit_code == 1  # the folder out/ does not exist
        assert "nothing was changed" in result.stderr or "cannot write" in result.stderr
        assert run("report", "--format", "html", "--output", "report.html").exit_code == 0
        assert 'id="chart-burnup"' in (isolated / "report.html").read_text(encoding="utf-8")

    def test_output_may_not_be_the_ledger(self, run: Run, write_ledger: WriteLedger) -> None:
        path = write_ledger(LEDGER)
        before = path.read_bytes()
        result = run("report", "--format", "html", "--output", "measures.toml")
        assert result.exit_code == 1 and "the ledger itself" in result.stderr
        assert path.read_bytes() == before

    def test_core_without_measures_still_draws_both_charts(self) -> None:
        report = build_report(Ledger(plan=Plan(name="空")), date(2020, 12, 20))
        found = elements(report_html(report))
        assert [a.get("id") for t, a in found.tags if t == "svg"] == [
            "chart-owners",
            "chart-burnup",
        ]

    def test_core_axis_break_when_the_plan_ended_long_ago(self) -> None:
        ledger = Ledger(
            plan=Plan(name="方案", issued=date(2020, 11, 6)),
            measures=(
                validate.measure(
                    {"id": 1, "title": "举措", "deadline": date(2020, 12, 31), "status": "todo"}
                ),
            ),
        )
        late = elements(report_html(build_report(ledger, date(2026, 11, 24))))
        assert late.with_class("rect", "axis-break")
        during = elements(report_html(build_report(ledger, date(2020, 12, 1))))
        assert not during.with_class("rect", "axis-break")


# A plan under way on AS_OF: some measures done (two verified), three late, measure 6
# extended to 2027-12-31, and 区发展和改革委员会, whose only measure is dropped.
PROGRESS_AS_OF = "2026-12-02"
PROGRESS = """[plan]
name = "关于优化营商环境重点任务的实施方案"
issued = 2026-03-01
declared = 12

[[measures]]
id = 1
title = "企业开办全程网办"
owner = "区市场监督管理局"
deadline = 2026-06-30
status = "verified"
done_on = 2026-06-20

[[measures]]
id = 2
title = "经营主体登记便利化改革"
owner = "区市场监督管理局"
deadline = 2026-09-30
status = "done"
done_on = 2026-09-25

[[measures]]
id = 3
title = "“双随机、一公开”监管全覆盖"
owner = "区市场监督管理局"
deadline = 2026-12-31
status = "doing"

[[measures]]
id = 4
title = "政务服务“一网通办”"
owner = "区政务服务局"
deadline = 2026-06-30
status = "done"
done_on = 2026-07-10

[[measures]]
id = 5
title = "帮办代办服务"
owner = "区政务服务局"
deadline = 2026-09-30
status = "todo"

[[measures]]
id = 6
title = "工程建设项目审批制度改革"
owner = "区政务服务局"
deadline = 2027-12-31
status = "doing"

[[measures.log]]
at = 2026-10-15T10:00:00+08:00
by = "wang"
action = "extend"
field = "deadline"
old = 2026-09-30
new = 2027-12-31
note = "省级系统延期上线"

[[measures]]
id = 7
title = "纳税缴费便利化"
owner = "国家税务总局包头市昆都仑区税务局"
deadline = 2026-06-30
status = "verified"
done_on = 2026-06-28

[[measures]]
id = 8
title = "出口退税提速"
owner = "国家税务总局包头市昆都仑区税务局"
deadline = 2026-09-30
status = "blocked"

[[measures]]
id = 9
title = "招标投标全流程电子化"
owner = "区发展和改革委员会"
deadline = 2026-09-30
status = "dropped"

[[measures]]
id = 10
title = "城市更新项目审批提速"
owner = "区住房和城乡建设局"
deadline = 2026-09-30
status = "todo"

[[measures]]
id = 11
title = "既有建筑改造"
owner = "区住房和城乡建设局"
deadline = 2026-11-30
status = "done"
done_on = 2026-11-20

[[measures]]
id = 12
title = "涉企收费清单公开"
owner = ""
deadline = 2026-12-31
status = "todo"
"""


class TestHtmlLayout:
    """The page's structure for a phone and for paper; the browser's view is in
    test_html_chromium."""

    def page(self, run: Run, write_ledger: WriteLedger, *lang: str) -> str:
        write_ledger(PROGRESS)
        result = run(*lang, "report", "--as-of", PROGRESS_AS_OF, "--format", "html")
        assert result.exit_code == 0, result.stderr
        return result.stdout

    def test_a_unit_with_nothing_to_count_is_named_apart(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        page = self.page(run, write_ledger)
        found = elements(page)
        bars = [a["data-owner"] for a in found.with_class("g", "owner-bar")]
        assert "区发展和改革委员会" not in bars and len(bars) == 5
        table = page[page.index('<table id="table-owners">') :]
        assert "区发展和改革委员会" not in table[: table.index("</table>")]
        assert (
            '<p class="note uncounted">Units with nothing to count (every measure dropped): '
            "区发展和改革委员会.</p>" in page
        )
        assert "0/0" not in page
        zh = self.page(run, write_ledger, "--lang", "zh")
        assert "无可计完成率的单位（举措均已取消）：区发展和改革委员会。" in re.sub(
            "<[^>]+>", "", zh
        )

    def test_a_far_deadline_is_noted_not_drawn(self, run: Run, write_ledger: WriteLedger) -> None:
        page = self.page(run, write_ledger)
        assert '<p class="note beyond">1 more measure is due on 2027-12-31.</p>' in page
        burnup = page[
            page.index('<svg id="chart-burnup"') : page.index(
                "</svg>", page.index('<svg id="chart-burnup"')
            )
        ]
        assert "2027" not in burnup and "10 due" in burnup
        # Every x the chart draws at lies inside it.
        xs = [float(x) for x in re.findall(r'\bx[12]?="([-\d.]+)"', burnup)]
        assert xs and all(0 <= x <= 560 for x in xs)
        zh = self.page(run, write_ledger, "--lang", "zh")
        assert "另有1条举措的完成时限为2027年12月31日。" in re.sub("<[^>]+>", "", zh)

    def test_print_style_and_narrow_screen_rules(self, run: Run, write_ledger: WriteLedger) -> None:
        page = self.page(run, write_ledger)
        style = page[page.index("<style>") : page.index("</style>")]
        assert "@page { size: A4;" in style
        assert "thead { display: table-header-group; }" in style
        assert "tr, .figure { break-inside: avoid; }" in style
        assert "svg.chart { break-inside: avoid;" in style
        assert ".scroll { overflow-x: auto; }" in style
        # Every table has its header row in a <thead>, inside a box of its own that scrolls.
        assert page.count("<table") == page.count("<thead>") == page.count('<div class="scroll">')
        # A stacked row labels its cells in the page's language.
        assert (
            'table.stack.late td:nth-child(1)::before { content: "Days late" "\\00a0"; }' in style
        )
        zh = self.page(run, write_ledger, "--lang", "zh")
        assert 'td:nth-child(4)::before { content: "牵头单位" "\\00a0"; }' in zh

    def test_labels_give_way_so_none_meet(self) -> None:
        from measures.render.html import tick_boxes

        # Three labels 100 wide on 0..300: the middle one would meet both ends.
        assert tick_boxes([(0, 100), (120, 100), (300, 100)], 0, 300) == [0, 2]
        # The last one (the axis's end, as of) is kept; the one before gives way.
        assert tick_boxes([(0, 50), (200, 100), (260, 100)], 0, 300) == [0, 2]
        # Far enough apart: all kept, each moved inside the chart.
        assert tick_boxes([(0, 80), (150, 80), (300, 80)], 0, 300) == [0, 1, 2]

    def test_month_ticks_over_a_long_span(self) -> None:
        from measures.render.html import _date_ticks

        ticks = _date_ticks(date(2026, 3, 1), date(2026, 12, 31), 3)
        assert ticks[0] == date(2026, 3, 1) and ticks[-1] == date(2026, 12, 31)
        assert all(day.day == 1 for day in ticks[1:-1]) and len(ticks) == 4


def test_markdown_core_matches_the_command(run: Run, write_ledger: WriteLedger) -> None:
    write_ledger(LEDGER)
    from measures.model.parse import parse_ledger

    core = report_markdown(build_report(parse_ledger(LEDGER, "x"), date.today()))
    assert run("report", "--format", "markdown").stdout == core


def test_the_terminal_report_shows_the_first_rows_of_a_long_list(
    run: Run, write_ledger: WriteLedger
) -> None:
    from measures.render.terminal import REPORT_ROWS

    from .conftest import PLAN_HEADER, measure_block

    count = REPORT_ROWS + 5
    write_ledger(
        PLAN_HEADER + "".join(measure_block(n, title=f"举措{n}") for n in range(1, count + 1))
    )
    shown = run("report").stdout
    assert "Overdue as of" in shown and f": {count}" in shown
    assert "… and 5 more: `measures report --overdue` lists them all." in shown
    listed = run("report", "--overdue").stdout
    assert "more:" not in listed and f"举措{count}" in listed
