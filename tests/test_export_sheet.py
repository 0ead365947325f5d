"""The sheet an office sends: columns in the file's language, a unit's rows, ready to print."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from measures.domain.history import latest_progress
from measures.errors import BadValue
from measures.exchange.sheet import (
    CHINESE_COLUMNS,
    export_sheet,
    ledger_units,
    sheet_title,
    units_measures,
)
from measures.exchange.table import COLUMNS
from measures.exchange.xlsx import HEADER_ROW, sheet_xlsx
from measures.ledger.store import read_ledger

from .conftest import PLAN_HEADER, SHIPPED, Run, WriteLedger, measure_block

TODAY = date(2026, 12, 2)
CHINESE_HEADINGS = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "状态"]
CHINESE_HEADINGS += ["完成日期", "进展情况", "备注"]
ENGLISH_HEADINGS = [*COLUMNS, "progress"]
STATUSES_ZH = ["未启动", "推进中", "受阻", "已完成", "已销号", "已取消"]
STATUSES_EN = ["todo", "doing", "blocked", "done", "verified", "dropped"]

NOTE_LOG = """
[[measures.log]]
at = 2020-12-01T09:00:00+08:00
by = "wang"
action = "start"
from = "todo"
to = "doing"
note = "已召开部署会"

[[measures.log]]
at = 2020-12-10T09:00:00+08:00
by = "wang"
action = "note"
note = "系统已完成测试"

[[measures.log]]
at = 2020-12-11T09:00:00+08:00
by = "wang"
action = "set"
field = "owner"
old = "区政务服务局"
new = "区政务服务局"
"""

UNITS = (
    PLAN_HEADER
    + measure_block(
        1,
        title="企业名称自主申报",
        owner="区市场监督管理局",
        extra='partners = ["区政务服务局", "区税务局"]\ntitle_en = "Self-declared names"\n'
        'source = "实行企业名称自主申报"\n',
    )
    + measure_block(2, title="推行“一网通办”", status="doing", owner="区政务服务局", extra=NOTE_LOG)
    + measure_block(3, title="纳税“非接触式”服务", owner="区税务局", status="done",
                    extra="done_on = 2020-12-20\n")
    + measure_block(4, title="项目全方位对接", owner="区发展和改革委员会", status="verified",
                    extra="done_on = 2020-12-21\n")
)  # fmt: skip


def shipped_sheet(headers: str) -> Any:
    ledger = read_ledger(SHIPPED).ledger
    data = sheet_xlsx(export_sheet(ledger, "zh" if headers == "zh" else "en", TODAY))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return sheet


def rows_of(path: Path) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


class TestCore:
    def test_chinese_columns_values_and_title(self, write_ledger: WriteLedger) -> None:
        ledger = read_ledger(write_ledger(UNITS)).ledger
        sheet = export_sheet(ledger, "zh", TODAY)
        assert sheet.headings == CHINESE_HEADINGS
        assert sheet.title == "《测试方案》任务台账（截至2026年12月2日）"
        assert sheet.rows[0] == [
            1,
            "企业名称自主申报",
            "区市场监督管理局",
            "区政务服务局；区税务局",
            date(2020, 12, 31),
            "未启动",
            None,
            "",
            "",
        ]
        assert [row[5] for row in sheet.rows] == ["未启动", "推进中", "已完成", "已销号"]
        assert sheet.rows[1][7] == "系统已完成测试"  # the newest note, not the newest entry
        assert sheet.rows[2][6] == date(2020, 12, 20)
        # 已销号 is shown where a row has it, and not offered: an import refuses it.
        assert sheet.statuses == ("未启动", "推进中", "受阻", "已完成", "已取消")

    def test_english_keeps_the_exchange_columns_with_progress_last(
        self, write_ledger: WriteLedger
    ) -> None:
        ledger = read_ledger(write_ledger(UNITS)).ledger
        sheet = export_sheet(ledger, "en", TODAY)
        assert sheet.headings == ENGLISH_HEADINGS
        assert sheet.rows[0][:9] == [
            1,
            "企业名称自主申报",
            "Self-declared names",
            "区市场监督管理局",
            "区政务服务局；区税务局",
            date(2020, 12, 31),
            "todo",
            None,
            "实行企业名称自主申报",
        ]
        assert sheet.rows[1][-1] == "系统已完成测试"
        assert sheet.statuses == ("todo", "doing", "blocked", "done", "dropped")
        assert sheet.title == "测试方案: ledger of measures (as of 2026-12-02)"

    def test_a_units_rows_are_those_it_leads_or_partners(self, write_ledger: WriteLedger) -> None:
        ledger = read_ledger(write_ledger(UNITS)).ledger
        assert [m.id for m in units_measures(ledger.measures, "区政务服务局")] == [1, 2]
        assert [m.id for m in units_measures(ledger.measures, "区税务局")] == [1, 3]
        sheet = export_sheet(ledger, "zh", TODAY, owner="区税务局")
        assert [row[0] for row in sheet.rows] == [1, 3]
        assert sheet.title == "《测试方案》任务台账（区税务局，截至2026年12月2日）"

    def test_an_unknown_unit_is_refused_naming_the_units(self, write_ledger: WriteLedger) -> None:
        ledger = read_ledger(write_ledger(UNITS)).ledger
        with pytest.raises(BadValue) as refused:
            units_measures(ledger.measures, "区税务")  # a part of a name is not the unit
        assert (
            refused.value.message == "--owner 区税务: no measure is led or partnered by that unit."
        )
        assert refused.value.hint == (
            "The ledger's units: 区市场监督管理局, 区政务服务局, 区税务局, 区发展和改革委员会."
        )
        assert ledger_units(ledger.measures)[0] == "区市场监督管理局"

    def test_the_title_keeps_book_marks_once(self) -> None:
        assert sheet_title("《甲方案》", TODAY, "zh").startswith("《甲方案》任务台账")

    def test_the_progress_is_empty_without_notes(self, write_ledger: WriteLedger) -> None:
        ledger = read_ledger(write_ledger(UNITS)).ledger
        assert latest_progress(ledger.measures[0]) == ""


class TestPrintLayout:
    """The workbook opened with openpyxl, as Excel, WPS and LibreOffice read its settings."""

    @pytest.mark.parametrize("headers", ["zh", "en"])
    def test_a4_landscape_one_page_wide_header_repeated_and_frozen(self, headers: str) -> None:
        sheet = shipped_sheet(headers)
        setup = sheet.page_setup
        assert setup.orientation == "landscape"
        assert int(setup.paperSize) == 9  # A4
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
        footer = sheet.oddFooter.center.text
        assert footer == ("第 &P 页 共 &N 页" if headers == "zh" else "Page &P of &N")

    def test_the_title_row_is_merged_bold_and_larger(self) -> None:
        sheet = shipped_sheet("zh")
        title = sheet.cell(row=1, column=1)
        assert title.value.startswith(
            "《昆区关于聚焦企业群众关切创建营商环境“最佳实践”的行动方案》"
        )
        heading, *provenance = title.value.splitlines()
        assert heading.endswith("任务台账（截至2026年12月2日）")
        # The plan's provenance under the title, in the same cell: the header stays row 2.
        assert provenance[:2] == [
            "地区：包头市昆都仑区",
            "来源：新闻报道，署名张建芳、闫静、冯雪（所存文本未载媒体名称与刊发日期）",
        ]
        assert provenance[2].startswith("说明：")
        assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:I1"]
        assert title.font.bold and title.font.size > sheet.cell(row=3, column=2).font.size

    def test_header_and_cells_are_styled_for_print(self) -> None:
        sheet = shipped_sheet("zh")
        header = list(sheet[HEADER_ROW])
        assert [c.value for c in header] == CHINESE_HEADINGS
        assert all(c.font.bold and c.fill.fgColor.rgb.endswith("D9E1F2") for c in header)
        cell = sheet.cell(row=HEADER_ROW + 1, column=2)
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        assert all(getattr(cell.border, side).style == "thin" for side in ("left", "top"))
        deadline = sheet.cell(row=HEADER_ROW + 1, column=5)
        assert deadline.value == datetime(2020, 12, 31) and "年" in deadline.number_format

    def test_widths_fit_chinese_text_and_the_title_column_is_widest(self) -> None:
        sheet = shipped_sheet("zh")
        widths = {c.heading: sheet.column_dimensions[chr(65 + i)].width
                  for i, c in enumerate(CHINESE_COLUMNS)}  # fmt: skip
        assert widths["工作任务"] == max(widths.values())
        # 区发展和改革委员会: nine Chinese characters take 18, and a margin.
        assert widths["牵头单位"] >= 18
        # The date as shown, 2020年12月31日, fits on one line.
        assert widths["完成时限"] >= 16
        assert widths["序号"] <= 6

    @pytest.mark.parametrize("headers", ["zh", "en"])
    def test_the_status_column_offers_the_statuses_as_a_list(self, headers: str) -> None:
        sheet = shipped_sheet(headers)
        (validation,) = sheet.data_validations.dataValidation
        assert validation.type == "list"
        words = STATUSES_ZH if headers == "zh" else STATUSES_EN
        offered = [word for word in words if word not in ("已销号", "verified")]
        assert validation.formula1 == '"' + ",".join(offered) + '"'
        assert validation.showErrorMessage
        assert ("已销号" if headers == "zh" else "verified") in validation.error
        column = "F" if headers == "zh" else "G"
        first, last = str(validation.sqref).split(":")
        assert first == f"{column}{HEADER_ROW + 1}"
        assert re.fullmatch(rf"{column}\d+", last) and int(last[1:]) > HEADER_ROW + 31
        assert sheet.cell(row=HEADER_ROW, column=ord(column) - 64).value in ("状态", "status")


class TestCommand:
    def test_chinese_under_lang_zh(self, run: Run, ledger: Path, isolated: Path) -> None:
        result = run("--lang", "zh", "export", "--format", "xlsx", "--output", "台账.xlsx")
        assert result.exit_code == 0, result.stderr
        assert "已将31条举措导出到 台账.xlsx。" in result.stderr
        rows = rows_of(isolated / "台账.xlsx")
        assert rows[1] == CHINESE_HEADINGS
        assert rows[2][:6] == [
            1,
            "企业名称自主申报、企业登记全程电子化，企业开办网上受理时限压缩至0.5天",
            "区市场监督管理局（推定）",
            None,
            datetime(2020, 12, 31),
            "未启动",
        ]
        assert len(rows) == 2 + 31

    def test_chinese_under_a_chinese_locale(
        self, run: Run, ledger: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from .conftest import measures_process

        result = measures_process("export", "--format", "csv", "-o", "t.csv", lang="zh_CN.UTF-8")
        assert result.returncode == 0, result.stderr
        assert csv_rows(isolated / "t.csv")[0] == CHINESE_HEADINGS

    def test_english_under_lang_en(self, run: Run, ledger: Path, isolated: Path) -> None:
        assert run("--lang", "en", "export", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
        rows = rows_of(isolated / "t.xlsx")
        heading = rows[0][0].splitlines()[0]
        assert heading.endswith("ledger of measures (as of " + date.today().isoformat() + ")")
        assert rows[0][0].splitlines()[1] == "District: 包头市昆都仑区"
        assert rows[1] == ENGLISH_HEADINGS
        assert rows[2][6] == "todo"

    @pytest.mark.parametrize(("lang", "headers"), [("zh", "en"), ("en", "zh")])
    def test_headers_override_the_language(
        self, run: Run, ledger: Path, isolated: Path, lang: str, headers: str
    ) -> None:
        for kind, suffix in (("csv", "csv"), ("xlsx", "xlsx"), ("markdown", "md")):
            args = ("--lang", lang, "export", "--format", kind, "-o", f"t.{suffix}")
            assert run(*args, "--headers", headers).exit_code == 0
        expected = CHINESE_HEADINGS if headers == "zh" else ENGLISH_HEADINGS
        assert csv_rows(isolated / "t.csv")[0] == expected
        assert rows_of(isolated / "t.xlsx")[1] == expected
        first = (isolated / "t.md").read_text(encoding="utf-8").splitlines()[0]
        assert first == "| " + " | ".join(expected) + " |"
        status = csv_rows(isolated / "t.csv")[1][
            expected.index("状态" if headers == "zh" else "status")
        ]
        assert status == ("未启动" if headers == "zh" else "todo")

    def test_csv_has_the_xlsx_header_and_no_title_row(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(UNITS)
        assert run("--lang", "zh", "export", "--format", "csv", "-o", "t.csv").exit_code == 0
        assert run("--lang", "zh", "export", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
        rows = csv_rows(isolated / "t.csv")
        assert rows[0] == rows_of(isolated / "t.xlsx")[1] == CHINESE_HEADINGS
        assert rows[3] == ["3", "纳税“非接触式”服务", "区税务局", "", "2020-12-31", "已完成",
                           "2020-12-20", "", ""]  # fmt: skip
        assert rows[2][7] == "系统已完成测试"

    @pytest.mark.parametrize("kind", ["csv", "xlsx", "json", "markdown"])
    def test_owner_writes_the_rows_a_unit_leads_or_partners(
        self, run: Run, write_ledger: WriteLedger, isolated: Path, kind: str
    ) -> None:
        import json

        write_ledger(UNITS)
        result = run("export", "--format", kind, "-o", f"t.{kind}", "--owner", "区政务服务局")
        assert result.exit_code == 0, result.stderr
        assert "Exported 2 measures" in result.stderr
        path = isolated / f"t.{kind}"
        if kind == "csv":
            ids = [row[0] for row in csv_rows(path)[1:]]
        elif kind == "xlsx":
            ids = [str(row[0]) for row in rows_of(path)[2:]]
        elif kind == "json":
            ids = [str(m["id"]) for m in json.loads(path.read_text(encoding="utf-8"))]
        else:
            ids = [line.split(" | ")[0][2:] for line in path.read_text("utf-8").splitlines()[2:]]
        assert ids == ["1", "2"]

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_an_unknown_owner_is_an_error_and_writes_nothing(
        self, run: Run, write_ledger: WriteLedger, isolated: Path, lang: str
    ) -> None:
        write_ledger(UNITS)
        result = run(
            "--lang", lang, "export", "--format", "xlsx", "-o", "t.xlsx", "--owner", "XX局"
        )
        assert result.exit_code == 1
        assert not (isolated / "t.xlsx").exists()
        if lang == "zh":
            assert result.stderr == (
                "错误：--owner XX局：没有该单位牵头或配合的举措。\n"
                "台账中的单位有：区市场监督管理局、区政务服务局、区税务局、区发展和改革委员会。\n"
            )
        else:
            assert "--owner XX局: no measure is led or partnered by that unit." in result.stderr
            assert "区市场监督管理局, 区政务服务局" in result.stderr


# Export, then import the file into the same ledger: nothing changes, in either language.

WORDED = (
    measure_block(5, title="年底前完成", extra='deadline_text = "2020年年底前"\n')
    + '\n[[measures]]\nid = 6\ntitle = "长期坚持的工作"\nowner = "区税务局"\n'
    'status = "doing"\ndeadline_text = "长期坚持"\n'
)
ROUND_TRIP = UNITS + WORDED


def test_the_deadline_shows_the_plans_wording(write_ledger: WriteLedger) -> None:
    ledger = read_ledger(write_ledger(UNITS + WORDED)).ledger
    zh = export_sheet(ledger, "zh", TODAY)
    assert [row[4] for row in zh.rows[-3:]] == [date(2020, 12, 31), "2020年年底前", "长期坚持"]
    en = export_sheet(ledger, "en", TODAY)  # the wording is the plan's, in either language
    assert [row[5] for row in en.rows[-3:]] == [date(2020, 12, 31), "2020年年底前", "长期坚持"]


def _ledger_fields(path: Path) -> list[dict[str, Any]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["measures"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("headers", ["zh", "en"])
def test_export_then_import_changes_nothing(
    run: Run, write_ledger: WriteLedger, isolated: Path, kind: str, headers: str
) -> None:
    path = write_ledger(ROUND_TRIP)
    before = path.read_bytes()
    args = ("--lang", headers, "export", "--format", kind, "-o", f"t.{kind}")
    assert run(*args).exit_code == 0
    result = run("--lang", "en", "import", f"t.{kind}")  # --lang: the export set the language
    assert result.exit_code == 0, result.stderr
    assert "0 added, 0 updated, 6 unchanged" in result.stderr
    assert path.read_bytes() == before


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    return found


def _convert(source: Path, to: str, folder: Path) -> Path:
    """`source` converted by LibreOffice headless, in its own profile (tests may run at once)."""
    soffice = _soffice()
    profile = folder / "profile"
    command = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        to,
        "--outdir",
        str(folder),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    converted = folder / f"{source.stem}.{to}"
    assert converted.exists(), f"LibreOffice wrote no {converted.name}"
    return converted


@pytest.mark.slow
@pytest.mark.parametrize("headers", ["zh", "en"])
def test_a_round_trip_through_libreoffice_changes_nothing(
    run: Run, write_ledger: WriteLedger, isolated: Path, headers: str
) -> None:
    _soffice()
    path = write_ledger(ROUND_TRIP)
    before = path.read_bytes()
    assert run("--lang", headers, "export", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
    saved = isolated / "saved"
    saved.mkdir()
    converted = _convert(isolated / "t.xlsx", "xlsx", saved)
    result = run("--lang", "en", "import", str(converted))
    assert result.exit_code == 0, result.stderr
    assert "0 added, 0 updated, 6 unchanged" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.slow
def test_the_shipped_ledger_prints_on_a4_landscape_with_every_column(
    run: Run, ledger: Path, isolated: Path
) -> None:
    _soffice()
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo is not installed: apt-get install poppler-utils")
    assert run("--lang", "zh", "export", "--format", "xlsx", "-o", "台账.xlsx").exit_code == 0
    out = isolated / "pdf"
    out.mkdir()
    pdf = _convert(isolated / "台账.xlsx", "pdf", out)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout, re.M)
    assert size is not None
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (842, 595)
    # One page wide: the 31 rows, their titles as the report words them, and the plan's
    # provenance under the title take two pages down, never a third for columns cut off.
    assert pages <= 2
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        printed = [page for page in text.split("\f") if page.strip()]
        assert len(printed) == pages
        for page in printed:  # the header repeated on every page, every column on it
            first_line = next(line for line in page.splitlines() if "序号" in line)
            assert all(heading in first_line for heading in CHINESE_HEADINGS)


@pytest.mark.slow
def test_a_longer_sheet_repeats_the_header_on_every_page(
    run: Run, write_ledger: WriteLedger, isolated: Path
) -> None:
    _soffice()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    long_title = "推进政务服务事项“一网通办”，实现企业开办、项目审批全流程网上办理" * 2
    blocks = [measure_block(n, title=long_title if n % 3 else f"举措{n}") for n in range(1, 91)]
    write_ledger(PLAN_HEADER + "".join(blocks))
    assert run("--lang", "zh", "export", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
    out = isolated / "pdf"
    out.mkdir()
    pdf = _convert(isolated / "t.xlsx", "pdf", out)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        header = next((line for line in page.splitlines() if "序号" in line), "")
        assert all(heading in header for heading in CHINESE_HEADINGS), page[:200]
        assert re.search(r"第\s*\d+\s*页\s*共\s*\d+\s*页", page)
    assert "举措90" in pages[-1]
