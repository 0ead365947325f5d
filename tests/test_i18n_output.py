"""Tables and reports in Chinese: headings, statuses, dates, titles; machine output unchanged."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block, measures_process

LATE = (date.today() - date(2020, 12, 31)).days


def format_date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class TestTablesAndReports:
    """In-process, with --lang zh or en."""

    def test_list(self, run: Run, ledger: Path) -> None:
        result = run("--lang", "zh", "list")
        assert result.exit_code == 0, result.stderr
        header = result.stdout.splitlines()[0].split()
        assert header == ["编号", "举措", "牵头单位", "完成时限", "预警", "状态", "逾期"]
        row = result.stdout.splitlines()[2].split()
        assert row == [
            "1",
            "企业名称自主申报、企业登记全程电子化，企业开办网上受理时限压缩至0.5天",
            "区市场监督管理局（推定）",
            "2020年12月31日",
            "红灯",
            "未启动",
            f"{LATE}天",
        ]
        assert f"共31条举措，逾期31条，截至{format_date_zh(date.today())}" in result.stdout
        assert "Measure" not in result.stdout and "todo" not in result.stdout

    def test_list_in_english_is_unchanged(self, run: Run, ledger: Path) -> None:
        lines = run("--lang", "en", "list").stdout.splitlines()
        assert lines[0].split() == [
            "ID", "Measure", "Owner", "Deadline", "Light", "Status", "Overdue",
        ]  # fmt: skip
        assert lines[2].split() == [
            "1", "Self-declared", "enterprise", "names", "and", "fully", "electronic",
            "registration:", "business", "区市场监督管理局", "(inferred)",
            "2020-12-31", "red", "todo", str(LATE), "d",
        ]  # fmt: skip

    def test_show_and_log(self, run: Run, ledger: Path) -> None:
        assert run("done", "1", "--on", "2020-12-20", "--by", "wang").exit_code == 0
        shown = run("--lang", "zh", "show", "1").stdout
        assert "标题" in shown and "企业开办网上受理时限压缩至0.5天" in shown
        assert "牵头单位  区市场监督管理局（推定）" in shown
        assert shown.splitlines()[1] == "地区：包头市昆都仑区"
        assert "状态      已完成" in shown and "完成日期  2020年12月20日" in shown
        assert "完成时限  2020年12月31日" in shown
        assert "未启动 → 已完成，完成于2020年12月20日" in shown and "共1条日志" in shown
        late = run("--lang", "zh", "show", "2").stdout
        assert f"未启动  逾期{LATE}天（截至{format_date_zh(date.today())}）" in late
        log = run("--lang", "zh", "log").stdout
        assert log.splitlines()[0].split() == ["时间", "编号", "操作人", "操作", "变更", "备注"]
        assert "完成" in log.split() and "wang" in log

    def test_report(self, run: Run, ledger: Path) -> None:
        out = run("--lang", "zh", "report", "--as-of", "2021-01-05").stdout
        assert "截至2021年1月5日：共31条举措，完成0条（0%：已完成0条，已销号0条），" in out
        assert "未完成31条，逾期31条，14天内到期0条。" in out
        assert "按状态：未启动31、推进中0、受阻0、已完成0、已销号0、已取消0" in out
        assert "按牵头单位" in out and "截至2021年1月5日逾期：31条" in out
        assert "逾期天数" in out and "企业名称自主申报" in out
        assert "14天内到期：0条。" in out
        assert "By owner" not in out and "todo" not in out

    def test_markdown_and_html(self, run: Run, ledger: Path) -> None:
        markdown = run("--lang", "zh", "list", "--format", "markdown", "--owner", "税务").stdout
        assert (
            markdown.splitlines()[0] == "| 编号 | 举措 | 牵头单位 | 完成时限 | 状态 | 逾期 | 预警 |"
        )
        assert (
            "| 3 | 企业纳税“非接触式”服务，纳税人线上“一表申请”“一键报税” | 区税务局（推定） "
            f"| 2020年年底前 | 未启动 | {LATE}天 |" in (markdown)
        )
        page = run("--lang", "zh", "report", "--format", "html", "--as-of", "2021-01-05").stdout
        assert '<html lang="zh-CN">' in page and "<h2>各牵头单位完成情况</h2>" in page
        assert "<td>2020年12月31日</td><td>未启动</td>" in page
        english = run("--lang", "en", "report", "--format", "html", "--as-of", "2021-01-05").stdout
        assert '<html lang="en">' in english and "<h2>Completion by owner</h2>" in english
        assert "<td>2020-12-31</td><td>todo</td>" in english
        assert "<td>Self-declared enterprise names and fully electronic registration: " in english
        assert "<td>区市场监督管理局 (inferred)</td>" in english

    def test_check(self, run: Run, write_ledger: WriteLedger) -> None:
        path = write_ledger(PLAN_HEADER + measure_block(1, owner=""))
        out = run("--lang", "zh", "check").stdout
        assert f"{path}，第1条举措（第6行）：警告：没有牵头单位；" in out
        assert out.endswith("0个错误，2个警告。\n")

    def test_machine_output_does_not_follow_the_language(self, run: Run, ledger: Path) -> None:
        for args in (
            ["list", "--format", "json"],
            ["list", "--format", "csv"],
            ["show", "3", "--format", "json"],
            ["log", "--format", "json"],
            ["report", "--format", "json", "--as-of", "2021-01-05"],
            ["report", "--format", "csv", "--as-of", "2021-01-05"],
        ):
            assert run("--lang", "zh", *args).stdout == run("--lang", "en", *args).stdout, args
        # An export file follows the language (tests/test_export_sheet.py); --headers fixes it.
        zh = run("--lang", "zh", "export", "--format", "csv", "-o", "zh.csv", "--headers", "en")
        assert zh.exit_code == 0
        assert run("--lang", "en", "export", "--format", "csv", "-o", "en.csv").exit_code == 0
        assert Path("zh.csv").read_bytes() == Path("en.csv").read_bytes()


class TestAsAProcess:
    """The locale of a fresh process decides."""

    def measures(self, *args: str, lang: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return measures_process(*args, lang=lang, **extra)

    def test_list_report_show_and_an_error(self, ledger: Path) -> None:
        zh = {
            a: self.measures(*a.split(), lang="zh_CN.UTF-8") for a in ("list", "report", "show 1")
        }
        en = {a: self.measures(*a.split(), lang="C.UTF-8") for a in ("list", "report", "show 1")}
        assert zh["list"].stdout.split()[:7] == [
            "编号",
            "举措",
            "牵头单位",
            "完成时限",
            "预警",
            "状态",
            "逾期",
        ]
        assert en["list"].stdout.split()[:7] == [
            "ID",
            "Measure",
            "Owner",
            "Deadline",
            "Light",
            "Status",
            "Overdue",
        ]
        assert "未启动" in zh["list"].stdout and "todo" in en["list"].stdout
        assert "按状态：未启动31" in zh["report"].stdout
        assert "By status: todo 31" in en["report"].stdout
        assert "完成时限  2020年12月31日" in zh["show 1"].stdout
        assert "Deadline    2020-12-31" in en["show 1"].stdout
        error_zh = self.measures("show", "99", lang="zh_CN.UTF-8")
        error_en = self.measures("show", "99", lang="C.UTF-8")
        assert error_zh.returncode == error_en.returncode == 1
        assert error_zh.stderr.startswith("错误：没有编号为99的举措。")
        assert error_en.stderr.startswith("Error: no measure has id 99.")

    def test_lc_all_overrides_lang_and_lang_option_overrides_both(self, ledger: Path) -> None:
        english = self.measures("list", lang="zh_CN.UTF-8", LC_ALL="C.UTF-8")
        assert english.stdout.split()[0] == "ID"
        chinese = self.measures("--lang", "zh", "list", lang="C.UTF-8", LC_ALL="C.UTF-8")
        assert chinese.stdout.split()[0] == "编号"
