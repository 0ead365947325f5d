"""Make docs/examples/: the files an office receives, each kind once, from one task table.

    python scripts/make_examples.py

任务分解表 (the task table a plan arrives with) as an Excel workbook, a CSV
saved by Chinese Excel (GB18030), a Word document, and, converted from the
workbook by LibreOffice (soffice, needed for these two), .ods and .xls; and a
unit's feedback sheet, 反馈表.xlsx. The measures are those of the shipped
ledger (data/measures.toml), written as an office writes them.

Deterministic: the same bytes on every run with the same LibreOffice (fixed
document dates, zip members with a fixed time, the .ods's meta dates removed).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "docs" / "examples"
MADE = datetime(2020, 11, 10, 9, 0, 0)

TITLE = "《昆区关于聚焦企业群众关切创建营商环境“最佳实践”的行动方案》任务分解表"
HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况"]
TASKS: list[list[object]] = [
    [1, "实行企业名称自主申报", "区市场监督管理局", "区政务服务局", "2020年年底前",
     "已上线运行，累计自主申报企业名称1260个"],
    [2, "企业登记全程电子化", "区市场监督管理局（牵头）、区政务服务局", None, "2020年年底前",
     "推进中"],
    [3, "实现企业开办网上受理时限压缩至0.5天", "区市场监督管理局",
     "区政务服务局、区税务局、区公安分局", date(2021, 6, 30), None],
    [4, "为新招商落户企业开辟绿色通道", "区商务局", "区发展和改革委员会", "长期坚持",
     "已为12家新落户企业提供全程代办服务"],
    [5, "2020年年底前全面实行企业纳税“非接触式”服务方式", "区税务局牵头，区政务服务局配合",
     None, "2020年年底前", None],
    [6, "编制具有昆区特色的全流程“套餐式”服务事项目录", "区政务服务局", "区直各相关部门",
     "2021年3月31日", "已完成目录初稿，正在征求意见"],
    [7, "市民服务大厅实现“24小时自助办理、365天不打烊”", "区政务服务局", "区财政局",
     "持续推进", None],
]  # fmt: skip
FEEDBACK_TITLE = "营商环境“最佳实践”行动方案任务落实情况反馈表"
FEEDBACK_UNIT = "填报单位：区市场监督管理局　　　　填报时间：2021年1月5日"
FEEDBACK_HEADER = [*HEADER[:5], "完成情况", "完成时间", "进展情况"]
FEEDBACK: list[list[object]] = [
    [*TASKS[0][:5], "已完成", date(2020, 12, 20), "系统已上线，累计自主申报企业名称1260个"],
    [*TASKS[1][:5], "推进中", None, "已完成系统对接测试，12月底前上线"],
    [*TASKS[2][:5], "序时推进", None, "网上受理时限已压缩至1天，正与市级系统对接"],
]
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def text(value: object) -> str:
    """A cell as Chinese Excel shows it, and so saves it as CSV: a date as 2021年6月30日."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def workbook(title: str, lines: list[str], header: list[str], rows: list[list[object]]) -> bytes:
    """One sheet: the title merged over the table, any lines under it, the header, the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "任务分解表"
    width = len(header)
    thin = Side(style="thin")
    for line in [title, *lines]:
        sheet.append([line])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet["A1"].font = Font(name="宋体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(name="黑体", bold=True)
    for values in rows:
        sheet.append(values)
    for row in sheet.iter_rows(min_row=len(lines) + 2):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for letter, size in zip("ABCDEFGH", (6, 36, 24, 24, 16, 30, 14, 30), strict=False):
        sheet.column_dimensions[letter].width = size
    book.properties.creator = "区委督查室"
    book.properties.created = book.properties.modified = MADE
    buffer = io.BytesIO()
    book.save(buffer)
    return steady_zip(buffer.getvalue())


def document() -> bytes:
    """The task table as a Word attachment: 附件, the title, the table with a bold header."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word = docx.Document()
    word.add_paragraph("附件")
    heading = word.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(16)
    table = word.add_table(rows=1 + len(TASKS), cols=len(HEADER))
    table.style = "Table Grid"
    for column, name in enumerate(HEADER):
        cell = table.cell(0, column)
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for row, values in enumerate(TASKS, start=1):
        for column, value in enumerate(values):
            table.cell(row, column).text = text(value)
    word.add_paragraph("注：完成时限为最迟完成时间，各单位每月5日前报送进展情况。")
    properties = word.core_properties
    properties.author = properties.last_modified_by = "区委督查室"
    properties.created = properties.modified = MADE
    properties.revision = 1
    buffer = io.BytesIO()
    word.save(buffer)
    return steady_zip(buffer.getvalue())


def csv_gb18030() -> bytes:
    """The table as Chinese Excel saves "CSV (逗号分隔)": GB18030 (GBK), CRLF, no BOM."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for values in TASKS:
        writer.writerow([text(value) for value in values])
    return buffer.getvalue().encode("gb18030")


def steady_zip(data: bytes) -> bytes:
    """The same zip package with every member dated MADE, and an .ods's meta dates fixed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            body = source.read(member)
            if member.filename == "meta.xml":
                body = re.sub(rb"<meta:creation-date>[^<]*</meta:creation-date>", b"", body)
                body = re.sub(rb"<dc:date>[^<]*</dc:date>", b"", body)
                body = re.sub(rb"<meta:editing-duration>[^<]*</meta:editing-duration>", b"", body)
            if member.filename == "docProps/core.xml":  # openpyxl dates it at the save
                stamp = MADE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            info = zipfile.ZipInfo(member.filename, date_time=MADE.timetuple()[:6])
            info.compress_type = member.compress_type  # the mimetype of an .ods stays stored
            info.external_attr = member.external_attr
            target.writestr(info, body)
    return buffer.getvalue()


def convert(source: Path, suffix: str, work: Path) -> Path:
    """`source` converted by LibreOffice to `suffix` (ods, xls) in `work`, with its own profile."""
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc")
    profile = (work / "profile").resolve().as_uri()
    out = work / suffix
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", suffix,
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out / f"{source.stem}.{suffix}"


def main() -> None:
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    tasks = workbook(TITLE, [], HEADER, TASKS)
    made = {
        "任务分解表.xlsx": tasks,
        "任务分解表.csv": csv_gb18030(),
        "任务分解表.docx": document(),
        "反馈表.xlsx": workbook(FEEDBACK_TITLE, [FEEDBACK_UNIT], FEEDBACK_HEADER, FEEDBACK),
    }
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "任务分解表.xlsx"
        source.write_bytes(tasks)
        made["任务分解表.ods"] = steady_zip(convert(source, "ods", work).read_bytes())
        made["任务分解表.xls"] = convert(source, "xls", work).read_bytes()
    for name, data in made.items():
        (EXAMPLES / name).write_bytes(data)
        print(EXAMPLES / name)


if __name__ == "__main__":
    main()
