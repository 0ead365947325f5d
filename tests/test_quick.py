"""The quick path answers `list`, `report`, `show` and `log` as the full command line does."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from measures.i18n import set_language
from measures.ledger.store import read_ledger
from measures.ledger.tomledit import new_document
from measures.model.records import (
    Action,
    Ledger,
    LogEntry,
    Measure,
    Plan,
    Status,
    field_names,
)
from measures.quick import Request, parse, serve

from .conftest import Run, import_probe

TODAY = date.today()
STATUSES = list(Status)


def varied_ledger(path: Path, count: int) -> Path:
    """Every status, owners and none, overdue and due soon from today, logs of every kind."""
    measures = []
    for n in range(1, count + 1):
        status = STATUSES[n % len(STATUSES)]
        complete = status in (Status.DONE, Status.VERIFIED)
        at = datetime(2021, 1, 1 + n % 28, 9, tzinfo=UTC)
        log = [LogEntry(at=at, by="李", action=Action.NOTE, note=f"进展{n}")]
        if n % 4 == 0:
            log.append(
                LogEntry(
                    at=at,
                    action=Action.EXTEND,
                    field="deadline",
                    old=TODAY - timedelta(days=40),
                    new=TODAY + timedelta(days=n % 30 - 10),
                )
            )
        if status is Status.VERIFIED and n % 2:
            log.append(LogEntry(at=at, action=Action.VERIFY, from_=Status.DONE, to=status))
        measures.append(
            Measure(
                id=count + 1 - n,  # file order is not id order
                title=f"第{n}条举措：优化营商环境" + "的具体措施" * (n % 5),
                title_en=f"Measure {n}" if n % 3 else "",
                owner=f"区第{n % 7}局" if n % 9 else "",
                partners=("区财政局",) if n % 6 == 0 else (),
                deadline=TODAY + timedelta(days=n % 30 - 10),
                status=status,
                done_on=TODAY - timedelta(days=n % 50) if complete else None,
                source="原文",
                log=tuple(log),
            )
        )
    plan = Plan(name="测试方案", issued=date(2020, 11, 6), declared=count)
    path.write_text(new_document(Ledger(plan=plan, measures=tuple(measures))), "utf-8")
    return path


FORMS = [
    ["list"],
    ["list", "--format", "json"],
    ["list", "--format=table"],
    ["report"],
    ["report", "--format", "json"],
    ["report", "--overdue"],
    ["report", "--overdue", "--format", "json"],
    ["show", "1"],
    ["show", "4", "--format", "json"],
    ["show", "--format", "json", "2"],
    ["log"],
    ["log", "--format", "json"],
    ["log", "4"],
    ["log", "3", "--format", "json"],
    ["list", "--overdue"],
    ["list", "--status", "todo", "-s", "blocked", "--sort", "deadline"],
    ["list", "--status", "推进中", "--format", "json"],
    ["list", "--owner", "第1局", "--sort", "owner"],
    ["list", "--search", "进展1", "--sort", "status"],
    ["list", "--search", "measure 2", "--format", "json"],
    ["list", "--due-within", "5", "--sort", "deadline"],
    ["list", "--due-within", "0"],
    ["list", "--overdue", "--owner", "局", "--status", "doing"],
]


class TestParse:
    @pytest.mark.parametrize(
        ("args", "request_"),
        [
            (["list"], Request("list")),
            (["report"], Request("report")),
            (["list", "--format", "json"], Request("list", output="json")),
            (["list", "--format=json"], Request("list", output="json")),
            (["report", "--overdue", "--format", "json"], Request("report", None, "json", True)),
            (["-f", "a.toml", "list"], Request("list", "a.toml")),
            (["--file=a.toml", "report"], Request("report", "a.toml")),
            (["list", "-f", "a.toml"], Request("list", "a.toml")),
            (["-f", "a.toml", "list", "--file", "b.toml"], Request("list", "b.toml")),
            (["--lang", "zh", "list"], Request("list")),
            (["--lang=en", "report"], Request("report")),
            (["list", "--lang", "zh"], Request("list")),
            (["show", "3", "--lang=en"], Request("show", ident=3)),
            (["show", "3"], Request("show", ident=3)),
            (["show", "03", "--format", "json"], Request("show", None, "json", ident=3)),
            (["-f", "a.toml", "show", "12"], Request("show", "a.toml", ident=12)),
            (["log"], Request("log")),
            (["log", "7", "--format=json"], Request("log", None, "json", ident=7)),
            (["list", "--overdue"], Request("list", overdue=True)),
            (
                ["list", "-s", "todo", "--status=推进中", "--owner", "税务", "--sort", "deadline"],
                Request(
                    "list",
                    statuses=frozenset({Status.TODO, Status.DOING}),
                    owner="税务",
                    sort="deadline",
                ),
            ),
            (
                ["list", "--due-within", "14", "--search=营商", "--format", "json"],
                Request("list", output="json", due_within=14, search="营商"),
            ),
        ],
    )
    def test_forms_it_serves(self, args: list[str], request_: Request) -> None:
        assert parse(args) == request_

    @pytest.mark.parametrize(
        "args",
        [
            [],
            ["--version"],
            ["show"],
            ["show", "0"],
            ["show", "-3"],
            ["show", "３"],
            ["show", "3", "4"],
            ["show", "x"],
            ["log", "3", "4"],
            ["log", "--since", "2021-01-01"],
            ["list", "3"],
            ["report", "3"],
            ["block", "3", "--reason", "等待"],
            ["list", "--help"],
            ["list", "-h"],
            ["list", "--status", "finished"],
            ["list", "-s=todo"],
            ["list", "-stodo"],
            ["list", "--sort", "title"],
            ["list", "--sort", "deadline", "--sort", "id"],
            ["list", "--owner", "a", "--owner", "b"],
            ["list", "--due-within", "x"],
            ["list", "--due-within", "３"],
            ["list", "--due-within", "-1"],
            ["list", "--as-of", "2021-01-01"],
            ["list", "--overdue", "--overdue"],
            ["report", "--status", "todo"],
            ["show", "3", "--overdue"],
            ["list", "--format", "csv"],
            ["list", "--format", "JSON"],
            ["list", "--format"],
            ["list", "--lang", "fr"],
            ["--lang", "zh", "list", "--lang", "en"],
            ["--lang", "fr", "list"],
            ["list", "extra"],
            ["list", "list"],
            ["list", "-f"],
            ["list", "-f=a.toml"],
            ["list", "-fa.toml"],
            ["list", "--file", ""],
            ["list", "--file", "--format"],
            ["list", "--format", "json", "--format", "table"],
            ["report", "--overdue", "--overdue"],
            ["report", "--format", "html"],
            ["report", "--as-of", "2021-01-01"],
            ["report", "--output", "r.txt"],
            ["--format", "json", "list"],
            ["--overdue", "report"],
            ["--", "list"],
        ],
    )
    def test_anything_else_goes_to_the_full_command_line(self, args: list[str]) -> None:
        assert parse(args) is None


def full(run: Run, args: list[str]) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def quick_output(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert serve(args), args
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


@pytest.mark.parametrize("count", [40, 260])  # a rich table; past 200 rows the long one
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_same_output_byte_for_byte(
    count: int, lang: str, isolated: Path, run: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    varied_ledger(isolated / "measures.toml", count)
    for args in FORMS:
        set_language(lang)
        expected = full(run, args)
        set_language(lang)
        assert quick_output(args, capsys) == expected, args


def test_the_shipped_plan_the_same(
    ledger: Path, run: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in FORMS:
        expected = full(run, args)
        assert quick_output(args, capsys) == expected, args


def test_bytes_not_validated_yet_are_validated_first(
    isolated: Path, run: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    from measures.ledger import snapshot

    path = varied_ledger(isolated / "measures.toml", 12)
    assert snapshot.load(path, path.read_bytes()) is None
    assert serve(["list"])
    assert "12 measures" in capsys.readouterr().out
    assert snapshot.load(path, path.read_bytes()) == read_ledger(path).ledger  # kept
    # A hand edit that breaks the ledger: the full command says what is wrong.
    text = path.read_text("utf-8")
    path.write_text(text.replace('status = "todo"', 'status = "finished"', 1), "utf-8")
    assert not serve(["list"])
    assert capsys.readouterr().out == ""
    result = run("list")
    assert result.exit_code == 1
    assert "'finished' is not a status" in result.stderr


def test_a_snapshot_that_does_not_read_is_not_used(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], run: Run
) -> None:
    varied_ledger(isolated / "measures.toml", 12)
    expected = full(run, ["list"])
    monkeypatch.setattr("measures.ledger.snapshot._kept_body", lambda path, raw: b'{"plan": {}}')
    assert quick_output(["list"], capsys) == expected  # the TOML read again


def test_a_log_entry_of_another_shape_is_not_used(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], run: Run
) -> None:
    path = varied_ledger(isolated / "measures.toml", 12)
    read_ledger(path)
    from measures.ledger import snapshot

    data = kept_data(path)
    data["measures"][-1][MEASURE_AT["log"]][0][ENTRY_AT["action"]] = "finish"
    monkeypatch.setattr(snapshot, "_kept_body", lambda path, raw: json.dumps(data).encode())
    assert snapshot.load(path, path.read_bytes()) is None  # refused: the TOML is read again
    assert quick_output(["report"], capsys) == full(run, ["report"])


# A measure and a log entry are kept in the snapshot as rows of their fields in order.
MEASURE_AT = {name: index for index, name in enumerate(field_names(Measure))}
ENTRY_AT = {name: index for index, name in enumerate(field_names(LogEntry))}


def kept_data(path: Path) -> Any:
    """The JSON of the snapshot kept for the ledger at `path`."""
    from measures.ledger import snapshot

    body = snapshot._kept_body(path, path.read_bytes())
    assert body is not None
    return json.loads(body)


@pytest.mark.parametrize("args", [["show", "99"], ["log", "99"]])
def test_an_unknown_id_is_left_to_the_full_command(
    isolated: Path, run: Run, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    read_ledger(varied_ledger(isolated / "measures.toml", 12))
    assert not serve(args)
    assert capsys.readouterr().out == ""
    result = run(*args)
    assert result.exit_code != 0
    assert "no measure has id 99" in result.stderr


@pytest.mark.parametrize("args", [["show", "12"], ["log"], ["log", "12", "--format", "json"]])
def test_a_log_time_of_another_shape_is_not_used(
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    run: Run,
) -> None:
    path = varied_ledger(isolated / "measures.toml", 12)
    read_ledger(path)
    from measures.ledger import snapshot

    data = kept_data(path)
    first = data["measures"][0]  # id 12: file order is the reverse of id order
    assert first[MEASURE_AT["id"]] == 12
    first[MEASURE_AT["log"]][0][ENTRY_AT["at"]] = "yesterday"
    monkeypatch.setattr(snapshot, "_kept_body", lambda path, raw: json.dumps(data).encode())
    assert snapshot.load(path, path.read_bytes()) is None  # refused: the TOML is read again
    assert quick_output(args, capsys) == full(run, args)


BROKEN = """\
[plan]
name = "测试"

[[measures]]
id = 1
title = "企业开办"
status = "bogus"

[[measures]]
id = 1
title = "重复编号"
deadline = 2020-12-31
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("text", ["shipped", "broken"])
def test_check_says_what_the_full_command_says_with_its_exit_code(
    isolated: Path, run: Run, capsys: pytest.CaptureFixture[str], lang: str, text: str
) -> None:
    path = isolated / "measures.toml"
    shipped = Path(__file__).parent.parent / "data" / "measures.toml"
    path.write_bytes(shipped.read_bytes() if text == "shipped" else BROKEN.encode())
    set_language(lang)
    expected = run("check")
    set_language(lang)
    capsys.readouterr()
    try:
        assert serve(["check"])
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    assert (captured.out, captured.err, code) == (expected.stdout, "", expected.exit_code)
    assert code == (0 if text == "shipped" else 1)
    assert (": error: " in captured.out or "：错误：" in captured.out) == (text == "broken")


def test_check_of_a_workspace_or_a_plan_is_left_to_the_full_command(isolated: Path) -> None:
    (isolated / "plans").mkdir()
    (isolated / "plans" / "a.toml").write_text(BROKEN, encoding="utf-8")
    assert serve(["check"]) is False
    assert parse(["check", "--plan", "a"]) is None


def test_no_ledger_is_left_to_the_full_command(isolated: Path) -> None:
    assert not serve(["list"])
    assert not serve(["list", "-f", "missing.toml"])


def test_serves_the_ledger_named_by_file(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = varied_ledger(isolated / "other.toml", 3)
    read_ledger(path)
    assert not serve(["list"])
    assert serve(["list", "--file", "other.toml", "--format", "json"])
    assert capsys.readouterr().out.count('"id"') == 3


PROBE = import_probe(
    "[m for m in ('typer', 'click', 'pydantic', 'tomllib', 'tomlkit', 'pathlib')"
    " if m in sys.modules]"
)


@pytest.mark.parametrize(
    ("args", "imported"),
    [
        (["list"], "imported:\n"),
        (["report"], "imported:\n"),
        (["show", "3"], "imported:\n"),
        (["log"], "imported:\n"),
        # pydantic-core, which writes the JSON, imports pathlib itself.
        (["report", "--format", "json"], "imported: pathlib\n"),
        # check reads the file as it stands, by path, and its evidence files.
        (["check"], "imported: pathlib\n"),
    ],
)
def test_a_process_on_validated_bytes_imports_neither_typer_nor_pydantic(
    ledger: Path, args: list[str], imported: str
) -> None:
    def launch() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            capture_output=True,
            text=True,
            check=True,
        )

    first, second = launch(), launch()
    assert "typer" not in first.stderr  # parsed, validated and kept by the quick path too
    assert second.stderr == imported
    assert second.stdout == first.stdout


def test_a_closed_pipe_ends_quietly(isolated: Path) -> None:
    """`measures list | head`: as click does for the full command, exit 1 and write no more.

    Run in a process of its own: the launcher puts /dev/null over its standard output.
    """
    code = """if True:
        import sys
        from measures import launcher, quick

        def closed(args):
            raise BrokenPipeError

        quick.serve = closed
        try:
            launcher._quick(["list"])
        except SystemExit as stopped:
            print("after the pipe closed")  # goes to /dev/null now, not to the closed pipe
            sys.stdout.flush()
            sys.stderr.write(f"exit {stopped.code}")
    """
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stderr == "exit 1"
    assert result.returncode == 0 and result.stdout == ""


@pytest.mark.parametrize("count", [0, 1, 2, 999, 1000, 1001, 2500])
@pytest.mark.parametrize("binary", [True, False])
def test_a_json_list_written_in_chunks_is_the_whole_list_at_once(count: int, binary: bool) -> None:
    import io

    from measures.render.records import to_json, write_json_list

    items = [{"id": n, "title": f"举措\n{n}", "log": [{"at": "x"}] * (n % 3)} for n in range(count)]
    raw = io.BytesIO()
    stream: io.TextIOBase = io.TextIOWrapper(raw, encoding="utf-8") if binary else io.StringIO()
    write_json_list(iter(items), stream)  # type: ignore[arg-type]
    stream.flush()
    text = raw.getvalue().decode("utf-8") if binary else stream.getvalue()  # type: ignore[attr-defined]
    assert text == to_json(items)


def test_an_empty_ledger_is_left_to_the_full_command(isolated: Path) -> None:
    (isolated / "measures.toml").write_bytes(b"")
    assert not serve(["list"])
