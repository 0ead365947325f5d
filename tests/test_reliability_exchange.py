"""Issue 12, exchange files: hostile workbooks (S2, T6), unsafe characters (T7),
partners that must come back exactly (W5), and large imports (W6).

Hostile files are built here with zipfile from a workbook openpyxl writes; no
binary fixtures.
"""

from __future__ import annotations

import io
import subprocess
import time
import tomllib
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from measures.errors import BadValue
from measures.exchange.table import COLUMNS, import_rows
from measures.ledger.store import read_ledger
from measures.model.records import Ledger, Measure, Plan, Status

from .conftest import PLAN_HEADER, measure_block, run_measures

AT = datetime(2021, 1, 5, 9, 0, tzinfo=UTC)
SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def workbook(*rows: list[Any]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows or (["id", "title", "deadline"], [1, "举措", "2020-12-31"]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replaced(data: bytes, member: str, text: str | bytes | None) -> bytes:
    """The workbook with one part replaced (or, with None, removed)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != member:
                archive.writestr(info, source.read(info))
            elif text is not None:
                archive.writestr(info.filename, text)
    return out.getvalue()


def sheet_xml(cells: str, dimension: str = "A1:C2", prolog: str = "") -> str:
    return (
        f'{prolog}<worksheet {MAIN}><dimension ref="{dimension}"/>'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">'
    + text_cell("A1", "id")
    + text_cell("B1", "title")
    + text_cell("C1", "deadline")
    + "</row>"
)
FIRST_ROW = (
    '<row r="2"><c r="A2"><v>1</v></c>'
    + text_cell("B2", "举措")
    + text_cell("C2", "2020-12-31")
    + "</row>"
)


def ledger_with(*blocks: str) -> str:
    return PLAN_HEADER + "".join(blocks)


def assert_refused(result: Any, ledger: Path, before: bytes, *words: str) -> None:
    """Exit 1, a one- or two-line error with `words`, no traceback, the ledger untouched."""
    if isinstance(result, subprocess.CompletedProcess):
        output, code = result.stdout + result.stderr, result.returncode
    else:
        output, code = result.output, result.exit_code
    assert code == 1, output
    assert "Traceback" not in output
    assert output.startswith("Error: ")
    assert len(output.strip().splitlines()) <= 2, output
    for word in words:
        assert word in output, output
    assert ledger.read_bytes() == before
    assert not (ledger.parent / ".measures" / "measures.toml.undo").exists()


def run_limited(
    args: list[str], cwd: Path, memory: int = 1 << 30
) -> subprocess.CompletedProcess[str]:
    """`python -m measures ARGS` in its own process, with at most `memory` bytes and 60 s."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return run_measures(args, cwd=cwd, preexec_fn=limit, timeout=60)


# S2: the size a sheet declares is not trusted; the sheet is read within limits.


def test_s2_a_declared_dimension_of_a_million_rows_with_one_far_cell_is_refused(
    write_ledger: Any, isolated: Path
) -> None:
    ledger = write_ledger(ledger_with(measure_block(1)))
    before = ledger.read_bytes()
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    data = replaced(workbook(), SHEET, sheet_xml(HEADER_ROW + far, "A1:XFD1048576"))
    assert len(data) < 10_000
    (isolated / "bomb.xlsx").write_bytes(data)
    started = time.perf_counter()
    result = run_limited(["import", "bomb.xlsx"], isolated)
    assert time.perf_counter() - started < 30
    assert_refused(result, ledger, before, "bomb.xlsx", "row 1,048,576", "100,000 rows")


def test_s2_a_valid_table_that_declares_the_whole_sheet_imports_in_bounded_memory(
    write_ledger: Any, isolated: Path
) -> None:
    ledger = write_ledger(PLAN_HEADER)
    data = replaced(workbook(), SHEET, sheet_xml(HEADER_ROW + FIRST_ROW, "A1:XFD1048576"))
    (isolated / "big.xlsx").write_bytes(data)
    result = run_limited(["import", "big.xlsx"], isolated)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stderr
    assert [m.title for m in read_ledger(ledger).ledger.measures] == ["举措"]


def test_s2_a_value_far_to_the_right_is_refused(
    write_ledger: Any, isolated: Path, run: Any
) -> None:
    ledger = write_ledger(ledger_with(measure_block(1)))
    before = ledger.read_bytes()
    rows = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(3, 50))
    data = replaced(workbook(), SHEET, sheet_xml(HEADER_ROW + FIRST_ROW + rows, "A1:XFD49"))
    (isolated / "wide.xlsx").write_bytes(data)
    assert_refused(run("import", "wide.xlsx"), ledger, before, "cell XFD3", "100 columns")


def test_s2_trailing_empty_cells_and_rows_are_not_a_problem(
    write_ledger: Any, isolated: Path, run: Any
) -> None:
    ledger = write_ledger(PLAN_HEADER)
    empty = '<row r="2000"><c r="Z2000" s="0"/></row><row r="99999"/>'
    data = replaced(workbook(), SHEET, sheet_xml(HEADER_ROW + FIRST_ROW + empty, "A1:Z99999"))
    (isolated / "styled.xlsx").write_bytes(data)
    result = run("import", "styled.xlsx")
    assert result.exit_code == 0, result.output
    assert len(read_ledger(ledger).ledger.measures) == 1


def test_s2_a_zip_bomb_is_refused_before_it_is_unpacked(
    write_ledger: Any, isolated: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import measures.exchange.xlsx as xlsx

    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 1024 * 1024)
    ledger = write_ledger(ledger_with(measure_block(1)))
    before = ledger.read_bytes()
    padding = " " * (2 * 1024 * 1024)  # compresses to a few KB
    data = replaced(workbook(), SHEET, sheet_xml(HEADER_ROW + FIRST_ROW + padding))
    assert len(data) < 20_000
    (isolated / "zip.xlsx").write_bytes(data)
    assert_refused(run("import", "zip.xlsx"), ledger, before, "unpacks to more than 1 MB")


def test_s2_a_file_over_the_size_limit_is_not_read(
    write_ledger: Any, isolated: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import measures.exchange.table as exchange

    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", 1024 * 1024)
    ledger = write_ledger(ledger_with(measure_block(1)))
    before = ledger.read_bytes()
    (isolated / "big.csv").write_bytes(b"id,title\n" + b"1,x\n" * 300_000)
    assert_refused(run("import", "big.csv"), ledger, before, "larger than 1 MB")


def test_s2_a_csv_with_too_many_rows_is_refused_but_blank_lines_after_are_not(
    write_ledger: Any, isolated: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import measures.exchange.table as exchange

    monkeypatch.setattr(exchange, "MAX_ROWS", 4)
    ledger = write_ledger(PLAN_HEADER)
    before = ledger.read_bytes()
    rows = "".join(f"{n},举措,2020-12-31\n" for n in range(1, 5))
    (isolated / "many.csv").write_text("id,title,deadline\n" + rows, encoding="utf-8")
    assert_refused(run("import", "many.csv"), ledger, before, "more than 4 rows")
    (isolated / "ok.csv").write_text(
        "id,title,deadline\n" + rows.split("4,")[0] + "\n" * 50, encoding="utf-8"
    )
    result = run("import", "ok.csv")
    assert result.exit_code == 0, result.output
    assert len(read_ledger(ledger).ledger.measures) == 3


# T6: a file that cannot be read is a clear error, nothing written, no traceback.

NO_SHEETS = (
    '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    f"{MAIN}><sheets/></workbook>"
)

BROKEN = {
    "malformed": (replaced(workbook(), SHEET, "<worksheet><sheetData><row>"), "no element found"),
    "billion laughs": (
        replaced(workbook(), SHEET, sheet_xml(text_cell("A1", "&lol9;"), prolog=LAUGHS)),
        "declares a DTD",
    ),
    "xxe in the sheet": (
        replaced(workbook(), SHEET, sheet_xml(HEADER_ROW + text_cell("A2", "&e;"), prolog=XXE)),
        "declares a DTD",
    ),
    "xxe in the workbook": (
        replaced(workbook(), "xl/workbook.xml", XXE + "<workbook>&e;</workbook>"),
        "xl/workbook.xml: it declares a DTD",
    ),
    "utf-16 dtd": (
        replaced(
            workbook(),
            SHEET,
            ('<?xml version="1.0" encoding="UTF-16"?>' + XXE[21:] + sheet_xml("&e;")).encode(
                "utf-16"
            ),
        ),
        "declares a DTD",
    ),
    "no sheet in the workbook": (
        replaced(workbook(), "xl/workbook.xml", NO_SHEETS),
        "no worksheet",
    ),
    "sheet part missing": (replaced(workbook(), SHEET, None), "no worksheet"),
    "no workbook part": (replaced(workbook(), "xl/workbook.xml", None), "not a readable"),
    "not a zip": (b"id,title\n1,x\n", "not a readable .xlsx workbook"),
    "truncated zip": (workbook()[:2000], "not a readable .xlsx workbook"),
    "empty": (b"", "the file is empty"),
    "shared string out of range": (
        replaced(workbook(), SHEET, sheet_xml('<row r="1"><c r="A1" t="s"><v>99</v></c></row>')),
        "not a readable",
    ),
    "number that is not one": (
        replaced(workbook(), SHEET, sheet_xml('<row r="1"><c r="A1" t="n"><v>abc</v></c></row>')),
        "not a readable",
    ),
    "date beyond the calendar": (
        replaced(
            workbook(),
            SHEET,
            sheet_xml(HEADER_ROW + '<row r="2"><c r="C2" t="d"><v>99999-01-01</v></c></row>'),
        ),
        "not a readable",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_t6_an_unreadable_workbook_is_a_clear_error(
    case: str, write_ledger: Any, isolated: Path, run: Any
) -> None:
    data, words = BROKEN[case]
    ledger = write_ledger(ledger_with(measure_block(1)))
    before = ledger.read_bytes()
    (isolated / "in.xlsx").write_bytes(data)
    result = run("import", "in.xlsx")
    assert_refused(result, ledger, before, "in.xlsx", words)


def test_t6_xxe_never_reads_the_file_it_names(write_ledger: Any, isolated: Path, run: Any) -> None:
    secret = isolated / "secret.txt"
    secret.write_text("S3CRET", encoding="utf-8")
    prolog = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
    rows = HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c>' + text_cell("B2", "&e;") + "</row>"
    data = replaced(workbook(), SHEET, sheet_xml(rows, prolog=prolog))
    ledger = write_ledger(PLAN_HEADER)
    before = ledger.read_bytes()
    (isolated / "in.xlsx").write_bytes(data)
    result = run("import", "in.xlsx")
    assert_refused(result, ledger, before, "declares a DTD")
    assert "S3CRET" not in result.output


@pytest.mark.parametrize(
    ("encoding", "words"),
    [
        # GB18030 and UTF-16 with a BOM are read (tests/test_readers.py); Latin-1 is neither.
        ("latin-1", "not UTF-8 text"),
    ],
)
def test_t6_a_csv_that_is_not_utf8_is_a_clear_error(
    encoding: str, words: str, write_ledger: Any, isolated: Path, run: Any
) -> None:
    ledger = write_ledger(ledger_with(measure_block(1)))
    before = ledger.read_bytes()
    text = "id,title\n1,café\n" if encoding == "latin-1" else "id,title\n1,推进政务服务\n"
    (isolated / "in.csv").write_bytes(text.encode(encoding))
    result = run("import", "in.csv")
    assert_refused(result, ledger, before, "in.csv", words, "CSV UTF-8")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'id,title\n1,"' + b"a" * 200_000 + b'"\n', "field larger than field limit"),
        (b"", "the file is empty"),
    ],
    ids=["a field too long", "empty"],
)
def test_t6_a_broken_csv_is_a_clear_error(
    content: bytes, words: str, write_ledger: Any, isolated: Path, run: Any
) -> None:
    ledger = write_ledger(ledger_with(measure_block(1)))
    before = ledger.read_bytes()
    (isolated / "in.csv").write_bytes(content)
    assert_refused(run("import", "in.csv"), ledger, before, words)


def test_t6_errors_are_translated(write_ledger: Any, isolated: Path, run: Any) -> None:
    write_ledger(ledger_with(measure_block(1)))
    (isolated / "in.xlsx").write_bytes(BROKEN["billion laughs"][0])
    result = run("--lang", "zh", "import", "in.xlsx")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "不是可读取的" in result.output


# T7: characters XML cannot hold are written so that import gives them back.

UNSAFE = "\x00\x01\x08\x0b\x0c\x0e\x1c\x1f\r\ufffe\uffff"
CONTROL_LEDGER = ledger_with(
    measure_block(
        1,
        title="标题\\u000b换行\\u001c分隔_x000B_字面\\r\\n回车",
        owner="单位\\u0008",
        extra=(
            'partners = ["甲\\u001c", "乙\\u000c丙"]\n'
            'title_en = "a\\u0000b\\uffffc\\ufffe"\nsource = "=1+1\\u000b"\n'
        ),
    ),
    measure_block(
        2, title="_x005F_x0041_ and _x0041_", status="done", extra="done_on = 2020-12-01\n"
    ),
)


def test_t7_export_xlsx_writes_control_characters_and_import_reads_them_back(
    write_ledger: Any, isolated: Path, run: Any
) -> None:
    ledger = write_ledger(CONTROL_LEDGER)
    before = ledger.read_bytes()
    result = run("export", "--format", "xlsx", "--output", "out.xlsx")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    sheet = openpyxl.load_workbook("out.xlsx").active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.rows]
    assert cells[2][1] == "标题_x000B_换行_x001C_分隔_x005F_x000B_字面_x000D_\n回车"
    # Unchanged on import: every value came back exactly.
    result = run("import", "out.xlsx")
    assert result.exit_code == 0, result.output
    assert "0 updated, 2 unchanged" in result.output
    assert ledger.read_bytes() == before
    # And into a new ledger: the same fields.
    copy = write_ledger(PLAN_HEADER, name="copy.toml")
    result = run("import", "out.xlsx", "--file", str(copy))
    assert result.exit_code == 0, result.output
    assert exchange_fields(copy) == exchange_fields(ledger)


def test_t7_export_csv_keeps_control_characters(
    write_ledger: Any, isolated: Path, run: Any
) -> None:
    ledger = write_ledger(CONTROL_LEDGER)
    assert run("export", "--format", "csv", "--output", "out.csv").exit_code == 0
    copy = write_ledger(PLAN_HEADER, name="copy.toml")
    result = run("import", "out.csv", "--file", str(copy))
    assert result.exit_code == 0, result.output
    assert exchange_fields(copy) == exchange_fields(ledger)


def test_t7_an_excel_escape_in_a_workbook_is_read_as_its_character(
    write_ledger: Any, isolated: Path, run: Any
) -> None:
    ledger = write_ledger(PLAN_HEADER)
    rows = HEADER_ROW + (
        '<row r="2"><c r="A2"><v>1</v></c>'
        + text_cell("B2", "a_x000B_b_x005F_x0041_c_xD800_")
        + text_cell("C2", "2020-12-31")
        + "</row>"
    )
    (isolated / "excel.xlsx").write_bytes(replaced(workbook(), SHEET, sheet_xml(rows)))
    result = run("import", "excel.xlsx")
    assert result.exit_code == 0, result.output
    assert read_ledger(ledger).ledger.measures[0].title == "a\x0bb_x0041_c_xD800_"
    tomllib.loads(ledger.read_text(encoding="utf-8"))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from([*UNSAFE, "_", "x", "0", "0", "A", "F", "5", "'", "=", "a"]))
)
@example("_x0000\x1f")  # a literal `_x0000` before an unsafe character, whose escape starts `_`
@example("_x0000_x0000\x1f")
def test_t7_escape_gives_xml_safe_text_that_unescape_restores(value: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from measures.exchange.xlsx import escape, unescape

    written = escape(value)
    assert not ILLEGAL_CHARACTERS_RE.search(written)
    assert not any(ch in written for ch in "\r\ufffe\uffff")
    assert unescape(written) == value


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=40))
def test_t7_any_text_survives_an_xlsx_round_trip(tmp_path_factory: Any, value: str) -> None:
    from measures.exchange.sheet import Column, Sheet
    from measures.exchange.xlsx import HEADER_ROW, read_xlsx, sheet_xlsx

    path = tmp_path_factory.mktemp("xlsx") / "one.xlsx"
    column = Column("title", "title", least=8, most=60, wraps=True)
    layout = Sheet(headers="en", title="t", columns=(column,), rows=[[value]], statuses=())
    path.write_bytes(sheet_xlsx(layout))  # the writer `export` uses
    rows = read_xlsx(path)
    from measures.exchange.cells import restore

    read = rows[HEADER_ROW][0] if len(rows) > HEADER_ROW and rows[HEADER_ROW] else None
    assert (restore(read) if isinstance(read, str) else "") == value


# W5: partners come back exactly from export and import.

ODD_PARTNERS = [
    ["甲;乙", "丙"],
    ["甲；乙"],
    [" 边上有空格 ", "\t制表"],
    ["", "空名之后"],
    ['"引号"开头', '中间"引号', '"'],
    ["正常", "单位"],
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_w5_partners_round_trip_exactly(
    fmt: str, write_ledger: Any, isolated: Path, run: Any
) -> None:
    import json

    blocks = [
        measure_block(n, extra=f"partners = {json.dumps(p, ensure_ascii=False)}\n")
        for n, p in enumerate(ODD_PARTNERS, start=1)
    ]
    ledger = write_ledger(ledger_with(*blocks))
    before = ledger.read_bytes()
    assert run("export", "--format", fmt, "--output", f"out.{fmt}").exit_code == 0
    result = run("import", f"out.{fmt}")
    assert result.exit_code == 0, result.output
    assert f"0 updated, {len(ODD_PARTNERS)} unchanged" in result.output
    assert ledger.read_bytes() == before
    copy = write_ledger(PLAN_HEADER, name="copy.toml")
    assert run("import", f"out.{fmt}", "--file", str(copy)).exit_code == 0
    partners = [list(m.partners) for m in read_ledger(copy).ledger.measures]
    assert partners == ODD_PARTNERS


def test_w5_ordinary_cells_read_as_an_office_user_types_them() -> None:
    from measures.exchange.table import partners_cell, split_partners

    assert split_partners("甲；乙;丙") == ("甲", "乙", "丙")
    assert split_partners(" 甲 ； 乙 ；；") == ("甲", "乙")
    assert split_partners('"甲;乙"；丙') == ("甲;乙", "丙")
    assert split_partners('"a""b" ; c') == ('a"b', "c")
    assert split_partners('"互联网+"行动办；乙') == ('"互联网+"行动办', "乙")
    assert split_partners('"没有结束；乙') == ('"没有结束', "乙")
    assert partners_cell(["甲", "乙"]) == "甲；乙"
    assert partners_cell(["甲;乙", " 丙"]) == '"甲;乙"；" 丙"'


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from('甲乙 ;；"\t\x1c\u3000a'), max_size=6), max_size=5)
)
def test_w5_split_partners_reads_back_what_partners_cell_wrote(partners: list[str]) -> None:
    from measures.exchange.table import partners_cell, split_partners

    assert split_partners(partners_cell(partners)) == tuple(partners)


# W6: importing is linear in the rows, and the file is read before the lock.


def new_rows(count: int, start: int = 1) -> list[list[Any]]:
    return [["id", "title", "owner", "deadline", "status", "done_on"]] + [
        [
            n,
            f"举措{n}",
            f"单位{n % 7}",
            date(2021, 1, 1),
            "done" if n % 3 == 0 else "todo",
            date(2020, 12, 1) if n % 3 == 0 else None,
        ]
        for n in range(start, start + count)
    ]


def test_w6_importing_thousands_of_rows_is_linear() -> None:
    existing = import_rows(
        Ledger(plan=Plan(name="方案")), new_rows(3000), "a.xlsx", "li", AT, date(2021, 1, 5)
    )[0]
    table = new_rows(6000, start=2001)  # 1,000 updates of existing ids, then 5,000 new ones
    for row in table[1:1001]:
        row[1] = f"改 {row[1]}"
    started = time.perf_counter()
    ledger, summary = import_rows(existing, table, "b.xlsx", "li", AT, date(2021, 1, 5))
    took = time.perf_counter() - started
    assert (len(summary.added), len(summary.updated)) == (5000, 1000)
    assert [m.id for m in ledger.measures] == list(range(1, 8001))
    assert ledger.measures[2000].title == "改 举措2001"
    assert ledger.measures[7999].status is Status.TODO and ledger.measures[5999].done_on
    # The old import scanned every measure for every row: about 20 s here.
    assert took < 3, f"{took:.1f} s"


def test_w6_the_file_is_read_and_converted_before_the_lock_is_taken(
    write_ledger: Any, isolated: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    import measures.exchange.table as exchange
    import measures.ledger.store as store

    ledger = write_ledger(ledger_with(measure_block(1)))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in new_rows(50, start=2):
        sheet.append(row)
    book.save(isolated / "in.xlsx")

    held = []
    converted_under_lock = []
    real_locked, real_convert = store._locked, exchange._convert

    @contextlib.contextmanager
    def locked(path: Path) -> Any:
        with real_locked(path):
            held.append(True)
            try:
                yield
            finally:
                held.pop()

    def convert(column: str, cell: Any) -> Any:
        converted_under_lock.append(bool(held))
        return real_convert(column, cell)

    monkeypatch.setattr(store, "_locked", locked)
    monkeypatch.setattr(exchange, "_convert", convert)
    result = run("import", "in.xlsx")
    assert result.exit_code == 0, result.output
    assert "50 added" in result.output
    assert converted_under_lock and not any(converted_under_lock)
    data = tomllib.loads(ledger.read_text(encoding="utf-8"))
    assert len(data["measures"]) == 51
    assert len(read_ledger(ledger).ledger.measures) == 51


def test_w6_a_row_made_bad_by_a_change_under_the_lock_is_still_refused(
    write_ledger: Any, isolated: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked before the lock and again under it: another writer may have moved the ledger."""
    import measures.ledger.store as store

    done = measure_block(1, status="done", extra="done_on = 2020-11-01\n")
    ledger = write_ledger(ledger_with(done))
    (isolated / "in.csv").write_text("id,done_on\n1,2020-12-01\n", encoding="utf-8")
    real_read = store.read_ledger
    reads: list[Path] = []

    def read(path: Path) -> Any:
        reads.append(path)
        if len(reads) == 2:  # the read under the lock: someone reopened it meanwhile
            ledger.write_text(ledger_with(measure_block(1)), encoding="utf-8")
        return real_read(path)

    monkeypatch.setattr(store, "read_ledger", read)
    result = run("import", "in.csv")
    assert result.exit_code == 1, result.output
    assert "row 2, column B (done_on)" in result.output and "Traceback" not in result.output
    assert ledger.read_text(encoding="utf-8") == ledger_with(measure_block(1))


def test_w6_core_read_table_needs_no_ledger() -> None:
    from measures.exchange.table import apply_import, read_table

    file = read_table([["id", "title", "deadline"], ["7", "t", "2021-01-01"], ["x"]], "in.csv")
    assert [row.values["id"] for row in file.rows] == [7]
    assert [row for row, _message in file.problems] == [3]  # its id (an empty deadline: none given)
    with pytest.raises(BadValue, match=r"in.csv, row 3, column A \(id\): "):
        apply_import(Ledger(plan=Plan(name="方案")), file, "li", AT, date(2021, 1, 5))


def exchange_fields(path: Path) -> list[dict[str, Any]]:
    measures: tuple[Measure, ...] = read_ledger(path).ledger.measures
    return [{c: getattr(m, c) for c in COLUMNS} for m in measures]
