"""The files an office receives, read into rows: xlsx, xls, ods, csv (GB18030, UTF-16), docx.

The same task table (任务分解表) is written in every format: a title merged
across the table, the header, four rows, one lead unit merged over two rows,
a date cell. Each reader must give the rows the sheet holds; they differ only
in the kinds of cells the format has (`as_text` below says how).
The .ods and .xls copies are committed under tests/files/, made by LibreOffice
with scripts/make_test_files.py; a slow test converts them afresh where
LibreOffice is installed.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from measures.errors import BadValue
from measures.exchange import files
from measures.exchange.files import read_rows
from measures.exchange.table import Cell

from .conftest import Run, WriteLedger

FILES = Path(__file__).resolve().parent / "files"
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"

TITLE = "《昆区营商环境“最佳实践”任务分解表》"
HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况"]
# As the workbooks hold them: C5 is merged into C4 (one lead unit for two rows).
BODY: list[list[Cell]] = [
    [1, "企业名称自主申报", "区市场监督管理局", "区政务服务局", "2020年年底前", "已上线"],
    [2, "企业开办“一网通办”", "区政务服务局", None, date(2021, 6, 30)],
    [
        3,
        "工程建设项目审批提速",
        "区住房和城乡建设局（牵头）、区自然资源局",
        None,
        "长期坚持",
        "推进中",
    ],
    [4, "不动产登记“一窗受理”", None, "区税务局", "2021年3月31日"],
]
ROWS: list[list[Cell]] = [[TITLE], [*HEADER], *BODY]
WIDTH = len(HEADER)


def iso_day(day: date) -> str:
    return day.isoformat()


def chinese_day(day: date) -> str:
    """A date cell as Chinese Excel shows it, and so saves it in a CSV."""
    return f"{day.year}年{day.month}月{day.day}日"


def as_text(rows: list[list[Cell]], day: Callable[[date], str] = iso_day) -> list[list[str]]:
    """The rows as text, as a CSV or Word table holds them: 1, 2021-06-30, "" for empty."""

    def text(cell: Cell) -> str:
        if cell is None:
            return ""
        if isinstance(cell, datetime):
            return day(cell.date()) if cell.time() == datetime.min.time() else str(cell)
        if isinstance(cell, date):
            return day(cell)
        return str(cell)

    out = []
    for row in rows:
        cells = [text(cell) for cell in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    return out


def midnight_as_date(rows: list[list[Cell]]) -> list[list[Cell]]:
    """xlsx gives a date cell as a datetime at midnight; .ods and .xls as a date."""
    return [
        [c.date() if isinstance(c, datetime) and c.time() == datetime.min.time() else c for c in r]
        for r in rows
    ]


def write_xlsx(path: Path, sheets: tuple[str, ...] = ("任务分解表",)) -> Path:
    """The task table in an Excel workbook: the title merged over A1:F1, C4:C5 merged."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = sheets[0]
    first.append([TITLE])
    first.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    first.append(HEADER)
    for row in BODY:
        first.append(row)
    first["E4"].number_format = "yyyy-mm-dd"
    first.merge_cells("C5:C6")
    for name in sheets[1:]:
        book.create_sheet(name).append(["id", "title"])
    book.save(path)
    return path


def write_docx(path: Path) -> Path:
    """The task table in a Word document: a title paragraph, then the table, merged as above."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph(TITLE)
    rows = as_text(ROWS)
    table = document.add_table(rows=len(rows), cols=WIDTH)
    title = table.cell(0, 0).merge(table.cell(0, WIDTH - 1))
    title.text = TITLE
    for r, row in enumerate(rows[1:], start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = table.cell(4, 2).merge(table.cell(5, 2))
    merged.text = "区住房和城乡建设局（牵头）、区自然资源局"
    document.add_paragraph("注：完成时限为最迟时间。")
    document.add_table(rows=1, cols=2).cell(0, 0).text = "第二张表"
    document.save(str(path))
    return path


def csv_bytes(encoding: str, delimiter: str = ",") -> bytes:
    lines = [delimiter.join(row) for row in as_text(ROWS)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# --- every format, the same rows ---------------------------------------------------------


def test_xlsx_with_a_merged_title_row(isolated: Path) -> None:
    rows = read_rows(write_xlsx(isolated / "任务分解表.xlsx"))
    # read-only openpyxl knows no merged ranges; the file has the value in A1 alone.
    assert rows[0] == [TITLE]
    assert midnight_as_date(rows) == ROWS
    assert isinstance(rows[3][4], datetime)


def test_xlsx_suffix_in_capitals_and_a_sheet_by_name(isolated: Path) -> None:
    path = write_xlsx(isolated / "TASKS.XLSX", sheets=("任务分解表", "台账"))
    assert read_rows(path, "台账") == [["id", "title"]]
    assert midnight_as_date(read_rows(path, "任务分解表")) == ROWS


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_ods_and_xls_made_by_libreoffice(suffix: str) -> None:
    rows = read_rows(FILES / f"任务分解表{suffix}")
    assert rows == ROWS
    assert isinstance(rows[3][4], date) and not isinstance(rows[3][4], datetime)
    assert isinstance(rows[2][0], int)


def test_gb18030_csv_is_read_as_such(isolated: Path) -> None:
    path = isolated / "任务分解表.csv"
    path.write_bytes(csv_bytes("gb18030"))
    assert read_rows(path) == as_text(ROWS)
    path.write_bytes(csv_bytes("gbk"))  # GBK is a part of GB18030
    assert read_rows(path) == as_text(ROWS)


def test_utf8_with_and_without_bom_and_utf16_text(isolated: Path) -> None:
    path = isolated / "t.csv"
    for data in (
        csv_bytes("utf-8"),
        csv_bytes("utf-8-sig"),
        csv_bytes("utf-16", "\t"),  # Excel's "Unicode text": a BOM, tabs
        b"\xfe\xff" + csv_bytes("utf-16-be"),  # big-endian, commas
    ):
        path.write_bytes(data)
        assert read_rows(path) == as_text(ROWS)


def test_docx_table_merges_given_once(isolated: Path) -> None:
    rows = read_rows(write_docx(isolated / "任务分解表.docx"))
    # python-docx repeats a merged cell's text in each grid cell; the reader does not.
    assert rows[0] == [TITLE]
    assert rows[5][2] is None
    assert rows == [[c if c != "" else None for c in row] for row in as_text(ROWS)]


def test_docx_table_by_number(isolated: Path) -> None:
    path = write_docx(isolated / "t.docx")
    assert read_rows(path, "2") == [["第二张表"]]
    assert read_rows(path, "1") == read_rows(path)
    for wrong in ("3", "0", "二"):
        with pytest.raises(BadValue, match="the document has 2 tables") as error:
            read_rows(path, wrong)
        assert repr(wrong) in error.value.message


def test_the_first_table_with_rows(isolated: Path) -> None:
    import docx

    document = docx.Document()
    empty = document.add_table(rows=1, cols=1)
    empty._tbl.remove(empty._tbl.tr_lst[0])
    document.add_table(rows=1, cols=1).cell(0, 0).text = "序号"
    document.save(str(isolated / "t.docx"))
    assert read_rows(isolated / "t.docx") == [["序号"]]


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_libreoffice_conversion_reads_the_same(suffix: str, isolated: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = write_xlsx(isolated / "任务分解表.xlsx")
    profile = isolated / "profile"  # its own profile: another soffice may be running
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         suffix, "--outdir", str(isolated / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert read_rows(isolated / "out" / f"任务分解表.{suffix}") == ROWS


# --- errors --------------------------------------------------------------------------------


def test_word_97_and_wps_files_say_how_to_save_them(isolated: Path) -> None:
    for name, words in (
        ("任务.doc", "Word 97–2003"),
        ("任务.DOC", "Word 97–2003"),
        ("任务.et", "WPS spreadsheet"),
        ("任务.wps", "WPS document"),
    ):
        (isolated / name).write_bytes(b"\xd0\xcf\x11\xe0")
        with pytest.raises(BadValue, match=words) as error:
            read_rows(isolated / name)
        assert name in error.value.message


def test_word_97_through_the_cli_in_both_languages(
    run: Run, write_ledger: WriteLedger, isolated: Path
) -> None:
    ledger = write_ledger('[plan]\nname = "方案"\n')
    before = ledger.read_bytes()
    (isolated / "附件.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("import", "附件.doc")
    assert result.exit_code == 1
    assert "附件.doc: is a Word 97–2003 document" in result.stderr
    assert "Save it as .docx (Word: 另存为 Word 文档" in result.stderr
    result = run("--lang", "zh", "import", "附件.doc")
    assert result.exit_code == 1
    assert "附件.doc：这是 Word 97–2003 文档（.doc）" in result.stderr
    assert "请另存为 .docx 格式（Word：另存为“Word 文档”" in result.stderr
    assert ledger.read_bytes() == before


def test_an_unknown_sheet_lists_the_sheets(isolated: Path) -> None:
    path = write_xlsx(isolated / "t.xlsx", sheets=("任务分解表", "台账"))
    with pytest.raises(
        BadValue, match="no worksheet named 'Sheet1'; the workbook has 任务分解表、台账"
    ):
        read_rows(path, "Sheet1")
    with pytest.raises(BadValue, match="the workbook has 任务分解表"):
        read_rows(FILES / "任务分解表.ods", "台账")
    (isolated / "t.csv").write_bytes(b"id\n1\n")
    with pytest.raises(BadValue, match="a CSV file has one table and no sheets"):
        read_rows(isolated / "t.csv", "台账")


def test_an_unknown_sheet_through_the_cli(
    run: Run, write_ledger: WriteLedger, isolated: Path
) -> None:
    ledger = write_ledger('[plan]\nname = "方案"\n')
    write_xlsx(isolated / "t.xlsx")
    result = run("--lang", "zh", "import", "t.xlsx", "--sheet", "Sheet1")
    assert result.exit_code == 1
    assert "t.xlsx：没有名为 'Sheet1' 的工作表；该工作簿中的工作表有：任务分解表。" in result.stderr
    assert "Traceback" not in result.stderr
    assert ledger.read_text(encoding="utf-8") == '[plan]\nname = "方案"\n'


def test_import_of_a_chosen_sheet(run: Run, write_ledger: WriteLedger, isolated: Path) -> None:
    """The exchange columns on the second sheet of an .ods: --sheet takes them, end to end."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["说明：本表供参考"])
    second = book.create_sheet("台账")
    second.append(["id", "title", "owner", "deadline"])
    second.append([1, "企业名称自主申报", "区市场监督管理局", "2020-12-31"])
    book.save(isolated / "in.xlsx")
    ledger = write_ledger('[plan]\nname = "方案"\n')
    result = run("import", "in.xlsx", "--sheet", "台账", "--by", "wang")
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr
    assert 'title = "企业名称自主申报"' in ledger.read_text(encoding="utf-8")


def test_a_damaged_ods_or_xls_names_the_file(isolated: Path) -> None:
    good = (FILES / "任务分解表.ods").read_bytes()
    for name, data in (
        ("cut.ods", good[: len(good) // 2]),
        ("text.ods", b"not a spreadsheet"),
        ("nocontent.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
        ("cut.xls", (FILES / "任务分解表.xls").read_bytes()[:3000]),
        ("text.xls", b"\xd0\xcf\x11\xe0 not really"),
    ):
        (isolated / name).write_bytes(data)
        suffix = name[name.index(".") :]
        with pytest.raises(BadValue, match=f"not a readable \\{suffix} file") as error:
            read_rows(isolated / name)
        assert error.value.message.startswith(str(isolated / name))


def test_a_damaged_docx(isolated: Path) -> None:
    (isolated / "t.docx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(BadValue, match=r"not a readable \.docx document"):
        read_rows(isolated / "t.docx")
    (isolated / "t.docx").write_bytes(_zip({"word/document.xml": b"<w:document/>"}))
    with pytest.raises(BadValue, match=r"not a readable \.docx document"):
        read_rows(isolated / "t.docx")


@pytest.mark.parametrize("suffix", [".ods", ".xls", ".docx", ".xlsx", ".csv"])
def test_an_oversized_file_is_refused_before_it_is_read(
    suffix: str, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from measures.exchange import table

    path = isolated / f"big{suffix}"
    path.write_bytes(b"x" * 2048)
    monkeypatch.setattr(table, "MAX_FILE_BYTES", 1024)
    with pytest.raises(BadValue, match="larger than 0 MB"):
        read_rows(path)


def test_an_ods_too_wide_or_long_is_refused_before_calamine_lays_it_out(isolated: Path) -> None:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def ods(rows: str) -> bytes:
        content = (
            f'<?xml version="1.0"?><office:document-content {ns}><office:body>'
            f'<office:spreadsheet><table:table table:name="S">{rows}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>"
        )
        return _zip(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": content.encode(),
            }
        )

    cell = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
    wide = (
        '<table:table-row><table:table-cell table:number-columns-repeated="16384" '
        'office:value-type="float" office:value="1"/></table:table-row>'
    )
    long = (
        f'<table:table-row table:number-rows-repeated="1048576">{cell}</table:table-cell>'
        "</table:table-row>"
    )
    empty_tail = (
        f"<table:table-row>{cell}</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
    )
    (isolated / "wide.ods").write_bytes(ods(wide))
    with pytest.raises(BadValue, match="a value in cell XFD1; import reads at most"):
        read_rows(isolated / "wide.ods")
    (isolated / "long.ods").write_bytes(ods(long))
    with pytest.raises(BadValue, match="a value in row 1,048,576"):
        read_rows(isolated / "long.ods")
    (isolated / "tail.ods").write_bytes(ods(empty_tail))  # as LibreOffice ends every sheet
    files._check_ods_extent(isolated / "tail.ods", ods(empty_tail), 100_000, 100)  # no error


def test_binary_garbage_is_not_taken_for_gb18030(isolated: Path) -> None:
    path = isolated / "t.csv"
    for seed in range(20):
        data = random.Random(seed).randbytes(4096)
        path.write_bytes(data)
        with pytest.raises(BadValue, match=r"not UTF-8 text .*nor GBK or GB18030"):
            read_rows(path)
    # GB18030 that decodes but holds a control character no text has: refused too.
    path.write_bytes("序号,工作任务\n".encode("gb18030") + b"\x01\x02")
    with pytest.raises(BadValue, match="nor GBK or GB18030"):
        read_rows(path)


def test_unknown_formats_list_what_is_read(isolated: Path) -> None:
    for name in ("t.pdf", "noextension"):
        (isolated / name).write_bytes(b"%PDF")
        with pytest.raises(BadValue, match=r"import reads \.xlsx, \.xls, \.ods, \.csv, \.docx"):
            read_rows(isolated / name)
    with pytest.raises(BadValue, match="no such file"):
        read_rows(isolated / "missing.ods")


def test_the_examples_read(isolated: Path) -> None:
    """docs/examples: each task table holds the same measures, whatever its format."""
    tables = {
        path.suffix: as_text(read_rows(path), chinese_day)
        for path in sorted(EXAMPLES.glob("任务分解表.*"))
    }
    assert set(tables) == {".csv", ".docx", ".ods", ".xls", ".xlsx"}
    first = tables[".xlsx"]
    assert first[0][0].startswith("《") and first[1][:3] == ["序号", "工作任务", "牵头单位"]
    assert 5 <= len(first) - 2 <= 8
    assert any("（牵头）" in row[2] for row in first[2:])
    for suffix, rows in tables.items():
        # In Word the title is a paragraph above the table.
        assert rows == (first[1:] if suffix == ".docx" else first), suffix
    feedback = read_rows(EXAMPLES / "反馈表.xlsx")
    assert str(feedback[1][0]).startswith("填报单位：")
    assert feedback[2][5:7] == ["完成情况", "完成时间"]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_xlsx_saved_as_xls_is_read_and_checked_as_a_package(isolated: Path) -> None:
    """WPS and web systems send an .xlsx named .xls: calamine reads it, after the zip checks."""
    data = write_xlsx(isolated / "t.xlsx").read_bytes()
    (isolated / "t.xls").write_bytes(data)
    assert midnight_as_date(read_rows(isolated / "t.xls")) == ROWS
    (isolated / "dtd.xls").write_bytes(_zip({"xl/workbook.xml": b"<!DOCTYPE x []><x/>"}))
    with pytest.raises(BadValue, match=r"not a readable \.xls file .*declares a DTD"):
        read_rows(isolated / "dtd.xls")
