"""`export` and `import`: spreadsheets in and out, formula-like cells made inert."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.errors import BadValue
from measures.exchange.cells import TRIGGERS, neutralise, restore
from measures.exchange.table import COLUMNS, import_rows
from measures.ledger.store import read_ledger
from measures.model.records import Action, Ledger, Plan, Status

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

AT = datetime(2021, 1, 5, 9, 0, tzinfo=UTC)
STATUS_WORDS = "todo, doing, blocked, done, verified, dropped"

EVERY_STATUS = (
    PLAN_HEADER
    + measure_block(
        1,
        title="企业名称自主申报",
        extra='partners = ["区政务服务局", "区税务局"]\nsource = "实行企业名称自主申报"\n'
        'title_en = "Self-declared names"\n',
    )
    + measure_block(2, status="doing", owner="")
    + measure_block(3, status="blocked", deadline="2021-03-01")
    + measure_block(4, status="done", extra="done_on = 2020-12-20\n")
    + measure_block(5, status="verified", extra="done_on = 2020-12-21\n")
    + measure_block(6, status="dropped")
)

HOSTILE = PLAN_HEADER + measure_block(
    1,
    title='=HYPERLINK(\\"http://x\\",\\"y\\")',
    owner="<script>alert(1)</script>",
    extra='partners = ["+cmd", "@SUM(A1)"]\nsource = "-2+3"\ntitle_en = "\\tx"\n',
)


def empty_ledger(path: Path) -> Path:
    """A new ledger with a plan and no measures, made by `measures init --empty`."""
    from .conftest import invoke

    result = invoke(["init", str(path), "--empty", "--name", "新台账"])
    assert result.exit_code == 0, result.stderr
    assert read_ledger(path).ledger.measures == ()
    return path


def fields(path: Path) -> list[dict[str, Any]]:
    """Each measure's exchange fields, by id: what a round trip must keep."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    keep = ("id", "title", "title_en", "owner", "partners", "deadline", "status", "done_on")
    rows = [{k: m.get(k) for k in (*keep, "source")} for m in data.get("measures", [])]
    for row in rows:
        row["partners"] = row["partners"] or []
        row["title_en"] = row["title_en"] or ""
        row["source"] = row["source"] or ""
    return sorted(rows, key=lambda row: row["id"])


def xlsx_cells(path: Path) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


class TestNeutralise:
    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_a_formula_like_start_gets_a_quote(self, start: str) -> None:
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
        assert restore(neutralise(f"{start}1+1")) == f"{start}1+1"

    def test_plain_text_is_left_alone(self) -> None:
        for value in ("企业名称自主申报", "2020-12-31", "", "'quoted'", "a=b"):
            assert neutralise(value) == value and restore(value) == value

    @given(st.text())
    def test_restore_undoes_neutralise_and_nothing_starts_a_formula(self, value: str) -> None:
        safe = neutralise(value)
        assert not safe.startswith(TRIGGERS)
        assert restore(safe) == value


class TestExport:
    def test_csv_is_utf8_with_bom_and_the_exchange_columns(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(EVERY_STATUS)
        result = run("export", "--format", "csv", "--output", "台账.csv")
        assert result.exit_code == 0, result.stderr
        assert "Exported 6 measures" in result.stderr and result.stdout == ""
        raw = (isolated / "台账.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert tuple(rows[0]) == (*COLUMNS, "progress")  # the newest note, last
        assert rows[0]["partners"] == "区政务服务局；区税务局"
        assert rows[0]["deadline"] == "2020-12-31" and rows[0]["done_on"] == ""
        assert [(r["status"], r["done_on"]) for r in rows[3:5]] == [
            ("done", "2020-12-20"),
            ("verified", "2020-12-21"),
        ]

    def test_xlsx_has_typed_cells(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(EVERY_STATUS)
        assert run("export", "--format", "xlsx", "--output", "台账.xlsx").exit_code == 0
        cells = xlsx_cells(isolated / "台账.xlsx")
        assert cells[1] == [*COLUMNS, "progress"]  # below the title row
        assert cells[2][0] == 1 and cells[2][1] == "企业名称自主申报"
        assert cells[2][5] == datetime(2020, 12, 31)  # a date cell, shown as yyyy-mm-dd
        assert len(cells) == 8

    def test_json_is_the_list_of_records(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(EVERY_STATUS)
        assert run("export", "--format", "json", "--output", "out.json").exit_code == 0
        exported = json.loads((isolated / "out.json").read_text(encoding="utf-8"))
        assert exported == json.loads(run("list", "--format", "json").stdout)

    def test_markdown_is_a_table(self, run: Run, write_ledger: WriteLedger, isolated: Path) -> None:
        write_ledger(EVERY_STATUS)
        assert run("export", "--format", "markdown", "--output", "out.md").exit_code == 0
        lines = (isolated / "out.md").read_text(encoding="utf-8").splitlines()
        assert lines[0] == "| " + " | ".join((*COLUMNS, "progress")) + " |"
        assert len(lines) == 8
        assert lines[2].startswith("| 1 | 企业名称自主申报 | Self-declared names |")

    def test_output_is_required_and_may_not_be_the_ledger(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(EVERY_STATUS)
        before = path.read_bytes()
        assert run("export", "--format", "csv").exit_code == 2
        result = run("export", "--format", "csv", "--output", "measures.toml")
        assert result.exit_code == 1 and "the ledger itself" in result.stderr
        assert path.read_bytes() == before


class TestHostileText:
    """Must-show: formula and script text leave as inert text."""

    def test_csv_and_xlsx_have_no_cell_starting_a_formula(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(HOSTILE)
        assert run("export", "--format", "csv", "--output", "x.csv").exit_code == 0
        assert run("export", "--format", "xlsx", "--output", "x.xlsx").exit_code == 0
        text = (isolated / "x.csv").read_text(encoding="utf-8-sig")
        csv_cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        book = openpyxl.load_workbook(isolated / "x.xlsx")
        xlsx = [c for row in book.worksheets[0].iter_rows() for c in row]
        assert all(c.data_type != "f" for c in xlsx)  # no formula cell at all
        xlsx_cells = [c.value for c in xlsx if isinstance(c.value, str)]
        for cells in (csv_cells, xlsx_cells):
            assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
            assert '\'=HYPERLINK("http://x","y")' in cells
            assert "'+cmd；@SUM(A1)" in cells and "'-2+3" in cells and "'\tx" in cells
            assert "<script>alert(1)</script>" in cells  # text, for a spreadsheet

    def test_html_report_has_no_live_script(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(HOSTILE)
        result = run("report", "--format", "html")
        assert result.exit_code == 0, result.stderr
        assert "<script" not in result.stdout.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_import_gives_the_exact_text_back(
        self, run: Run, write_ledger: WriteLedger, isolated: Path, kind: str
    ) -> None:
        source = write_ledger(HOSTILE)
        assert run("export", "--format", kind, "--output", f"x.{kind}").exit_code == 0
        target = empty_ledger(isolated / "new.toml")
        result = run("--file", str(target), "import", f"x.{kind}")
        assert result.exit_code == 0, result.stderr
        assert fields(target) == fields(source)


class TestRoundTrip:
    """Must-show: export to xlsx, start an empty ledger, import: the same measures."""

    def test_shipped_ledger_through_xlsx(self, run: Run, ledger: Path, isolated: Path) -> None:
        assert run("done", "6", "7", "--on", "2020-12-20").exit_code == 0
        assert run("export", "--format", "xlsx", "--output", "台账.xlsx").exit_code == 0
        target = empty_ledger(isolated / "new.toml")
        result = run("--file", str(target), "import", "台账.xlsx")
        assert result.exit_code == 0, result.stderr
        assert "31 added, 0 updated, 0 unchanged" in result.stderr
        before, after = fields(ledger), fields(target)
        keys = ("id", "title", "owner", "deadline", "status")
        assert [[m[k] for k in keys] for m in after] == [[m[k] for k in keys] for m in before]
        assert after == before  # title_en, partners, done_on and source as well
        assert [m["status"] for m in after].count("done") == 2

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_every_status_and_the_log_of_each_new_measure(
        self, run: Run, write_ledger: WriteLedger, isolated: Path, kind: str
    ) -> None:
        source = write_ledger(EVERY_STATUS)
        assert run("export", "--format", kind, "--output", f"t.{kind}").exit_code == 0
        target = empty_ledger(isolated / "new.toml")
        assert run("--file", str(target), "import", f"t.{kind}", "--by", "li").exit_code == 0
        assert fields(target) == fields(source)
        data = tomllib.loads(target.read_text(encoding="utf-8"))["measures"]
        actions = {m["id"]: [(e["action"], e.get("to")) for e in m["log"]] for m in data}
        assert actions[1] == [("add", "todo")]
        assert actions[2] == [("add", "todo"), ("set", "doing")]
        assert actions[4] == [("add", "todo"), ("done", "done")]
        assert actions[5] == [("add", "todo"), ("set", "verified"), ("set", None)]
        assert all(
            e["by"] == "li" and e["note"] == f"imported from t.{kind}"
            for m in data
            for e in m["log"]
        )
        # Importing the same file again changes nothing.
        before = target.read_bytes()
        result = run("--file", str(target), "import", f"t.{kind}")
        assert "0 added, 0 updated, 6 unchanged" in result.stderr
        assert target.read_bytes() == before


def write_csv(path: Path, rows: list[list[str]], bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
    return path


class TestImport:
    def test_updates_and_additions_are_logged(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        path = write_ledger(EVERY_STATUS)
        write_csv(
            isolated / "in.csv",
            [
                ["id", "title", "owner", "deadline", "status", "done_on", "partners"],
                [
                    "1",
                    "企业名称自主申报",
                    "区市场监督管理局",
                    "2020-12-31",
                    "done",
                    "2020-12-30",
                    "甲;乙；丙",
                ],
                # Only `verify` signs off: measure 4 stays done, its day corrected.
                ["4", "举措", "区政务服务局", "2020-12-31", "done", "2020-12-19", ""],
                ["6", "举措", "区政务服务局", "2020/12/31", "dropped", "", ""],
                ["", "", "", "", "", "", ""],
                ["9", "新举措", "区商务局", "2021年1月31日", "todo", "", ""],
            ],
            bom=False,
        )
        result = run("import", "in.csv")
        assert result.exit_code == 0, result.stderr
        assert result.stderr.strip() == "Imported in.csv: 1 added, 2 updated, 1 unchanged."
        data = {m["id"]: m for m in tomllib.loads(path.read_text(encoding="utf-8"))["measures"]}
        first = data[1]
        assert first["status"] == "done" and first["done_on"] == date(2020, 12, 30)
        assert first["owner"] == "区市场监督管理局" and first["partners"] == ["甲", "乙", "丙"]
        logged = [(e["action"], e.get("field"), e.get("from"), e.get("to")) for e in first["log"]]
        assert logged == [
            ("set", "owner", None, None),
            ("set", "partners", None, None),
            ("done", "done_on", "todo", "done"),
        ]
        four = data[4]["log"][-1]
        assert (four["action"], four["field"], four["old"], four["new"]) == (
            "set",
            "done_on",
            date(2020, 12, 20),
            date(2020, 12, 19),
        )
        assert data[9]["deadline"] == date(2021, 1, 31) and data[9]["owner"] == "区商务局"
        # The untouched record keeps its bytes: no log entry, no rewrite.
        assert "log" not in data[2]

    def test_a_bad_row_names_row_and_column_and_nothing_is_written(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        path = write_ledger(EVERY_STATUS)
        before = path.read_bytes()
        write_csv(
            isolated / "in.csv",
            [
                ["id", "title", "deadline", "status"],
                ["7", "好的一行", "2021-01-01", "todo"],
                ["8", "坏日期", "2021-02-30", "todo"],
                ["9", "坏状态", "2021-01-01", "finished"],
            ],
        )
        result = run("import", "in.csv")
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert lines == [
            "Error: in.csv: 2 problems:",
            "  row 3, column C (deadline): '2021-02-30' does not exist on the calendar",
            "  row 4, column D (status): 'finished' is not a status; use one of " + STATUS_WORDS,
            "Nothing was imported; fix the file and import it again.",
        ]
        assert path.read_bytes() == before

    @pytest.mark.parametrize(
        ("rows", "message"),
        [
            (
                [["id", "title", "deadline"], ["x", "t", "2021-01-01"]],
                "row 2, column A (id): must be a positive whole number",
            ),
            (
                [["id", "title", "deadline"], ["0", "t", "2021-01-01"]],
                "row 2, column A (id): must be a positive whole number",
            ),
            (
                [["id", "title", "deadline"], ["7", "", "2021-01-01"]],
                "row 2, column B (title): must not be empty",
            ),
            ([["id", "title"], ["7", "新"]], "row 2, column deadline: is missing"),
            (
                [["id", "title", "deadline"], ["7", "t", "+7d"]],
                "row 2, column C (deadline): must be a date such as 2020-12-31, a period such as "
                "2026年6月底前、2026年年底前、第一季度、长期坚持, not '+7d'",
            ),
            (
                [["id", "status"], ["1", "done"]],
                "row 2, column done_on: status is 'done' but done_on is missing",
            ),
            (
                [["id", "status", "done_on"], ["1", "todo", "2020-12-01"]],
                "row 2, column C (done_on): done_on is set but status is 'todo'",
            ),
            (
                [["id", "status", "done_on"], ["1", "done", "2999-01-01"]],
                "row 2, column C (done_on): 2999-01-01 is in the future",
            ),
            ([["title"], ["x"]], "row 1, column -: the header has no id column"),
            (
                [["id", "title"], ["1", "a"], ["1", "b"]],
                "row 3, column A (id): id 1 is already on row 2",
            ),
            (
                [["id", "title"], ["1", "a", "多余"]],
                "row 2, column C: a value outside the header's columns",
            ),
            ([], "row 1, column -: the file is empty"),
        ],
    )
    def test_problems(
        self,
        run: Run,
        write_ledger: WriteLedger,
        isolated: Path,
        rows: list[list[str]],
        message: str,
    ) -> None:
        path = write_ledger(EVERY_STATUS)
        before = path.read_bytes()
        write_csv(isolated / "in.csv", rows)
        result = run("import", "in.csv")
        assert result.exit_code == 1
        assert f"Error: in.csv, {message}" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert path.read_bytes() == before

    def test_files_it_cannot_read(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        write_ledger(EVERY_STATUS)
        # GBK is read now (tests/test_readers.py); bytes that are no text at all are not.
        (isolated / "binary.csv").write_bytes("id,title\n1,企业\n".encode("gbk") + b"\x00\x81")
        result = run("import", "binary.csv")
        assert (
            result.exit_code == 1 and "not UTF-8" in result.stderr and "CSV UTF-8" in result.stderr
        )
        (isolated / "fake.xlsx").write_bytes(b"not a workbook")
        result = run("import", "fake.xlsx")
        assert result.exit_code == 1 and "not a readable .xlsx workbook" in result.stderr
        (isolated / "data.pdf").write_bytes(b"")
        result = run("import", "data.pdf")
        assert result.exit_code == 1 and "reads .xlsx, .xls, .ods, .csv, .docx" in result.stderr
        result = run("import", "missing.csv")
        assert result.exit_code == 1 and "no such file" in result.stderr
        assert run("import").exit_code == 2

    def test_a_csv_saved_by_excel_with_a_bom_and_crlf(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        path = write_ledger(EVERY_STATUS)
        (isolated / "in.csv").write_bytes("\ufeffid,title\r\n2,改名\r\n".encode())
        assert run("import", "in.csv").exit_code == 0
        assert 'title = "改名"' in path.read_text(encoding="utf-8")


class TestImportCore:
    def ledger(self) -> Ledger:
        return Ledger(plan=Plan(name="方案"))

    def test_rows_become_measures(self) -> None:
        table: list[list[Any]] = [
            ["ID", "Title", "Deadline", "Status", "Done_on", None],
            [3.0, "'=1+1", datetime(2021, 1, 1), "DONE", "2020-12-30", None],
            [None, None, None, None, None, None],
        ]
        ledger, summary = import_rows(self.ledger(), table, "in.xlsx", "li", AT, date(2021, 1, 5))
        (measure,) = ledger.measures
        assert (measure.id, measure.title, measure.deadline) == (3, "=1+1", date(2021, 1, 1))
        assert measure.status is Status.DONE and measure.done_on == date(2020, 12, 30)
        assert [e.action for e in measure.log] == [Action.ADD, Action.DONE]
        assert summary.added == [3] and summary.updated == [] and summary.unchanged == []

    def test_every_problem_is_counted_before_anything_applies(self) -> None:
        table = [["id", "title", "deadline"], ["1", "", "2021-01-01"], ["2", "t", "bad"]]
        with pytest.raises(BadValue) as caught:
            import_rows(self.ledger(), table, "in.csv", "li", AT, date(2021, 1, 5))
        assert caught.value.message.splitlines() == [
            "in.csv: 2 problems:",
            "  row 2, column B (title): must not be empty",
            "  row 3, column C (deadline): must be a date such as 2020-12-31, a period such as "
            "2026年6月底前、2026年年底前、第一季度、长期坚持, not 'bad'",
        ]
