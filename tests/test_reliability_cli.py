"""Issue 12, the command line and its input: what a user can type or pipe never ends in a traceback.

T1 numbers too long for Python or dates past the calendar, T2 text longer than
the ledger allows, T3 a command line that is not UTF-8, T4 an output that is
not UTF-8, T8 a log value of the wrong kind, S1 ledger text on a terminal, W3
awkward ledger paths in .gitattributes, W4 `init` inputs, W7 CRLF conflict
markers, and the merge driver git-setup registers.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import Result

from measures.model.validate import LogEntry

from .conftest import (
    PLAN_HEADER,
    Run,
    WriteLedger,
    measure_block,
    measures_process,
    measures_process_bytes,
)

HUGE = "9" * 4301  # one digit more than Python reads as an int
TODAY = date.today()


def small_ledger(write_ledger: WriteLedger) -> Path:
    """Three measures, one of them owned by 区市场监督管理局, with a log entry."""
    log = (
        '\n[[measures.log]]\nat = 2020-12-01T09:00:00+08:00\nby = "wang"\n'
        'action = "note"\nnote = "已部署"\n'
    )
    text = (
        PLAN_HEADER
        + measure_block(1, "企业名称自主申报", owner="区市场监督管理局", extra=log)
        + measure_block(2, "企业登记全程电子化", status="doing")
        + measure_block(3, "工程建设项目审批", deadline="2099-12-31")
    )
    return write_ledger(text)


def assert_refused(result: Result, path: Path, before: bytes, *words: str, code: int = 1) -> None:
    output = result.output + (result.stderr or "")
    assert result.exit_code == code, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    for word in words:
        assert word in result.stderr, result.stderr
    assert path.read_bytes() == before


def process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return measures_process(*args, lang="C.UTF-8", **env)


def bytes_process(*args: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m measures ARGS`, the arguments given as bytes, as a shell hands them over."""
    return measures_process_bytes(*args, **env)


# --- T1: numbers and dates out of range ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("show", HUGE),
        ("done", HUGE),
        ("start", "1", HUGE),
        ("log", HUGE),
        ("note", HUGE, "text"),
        ("verify", HUGE),
        ("block", HUGE, "--reason", "r"),
        ("set", HUGE, "--owner", "x"),
        ("add", "--title", "t", "--owner", "o", "--deadline", "2021-01-01", "--id", HUGE),
        ("list", "--due-within", HUGE),
        ("report", "--due-within", HUGE),
        ("report", "--due-within", "3652059"),
        ("done", "1", "--on", f"-{HUGE}d"),
        ("extend", "1", "--to", f"+{HUGE}d", "--reason", "r"),
        ("extend", "1", "--to", "+9999999d", "--reason", "r"),
        ("add", "--title", "t", "--owner", "o", "--deadline", f"+{HUGE}d"),
        ("list", "--as-of", f"-{HUGE}d"),
        ("log", "--since", f"+{HUGE}d"),
    ],
)
def test_t1_numbers_too_long_or_past_the_calendar_are_clear_errors(
    write_ledger: WriteLedger, run: Run, args: tuple[str, ...]
) -> None:
    path = small_ledger(write_ledger)
    before = path.read_bytes()
    result = run(*args)
    assert_refused(result, path, before, "Error:")
    assert len(result.stderr) < 400  # the number is not echoed in full


def test_t1_the_messages_say_what_is_wrong(write_ledger: WriteLedger, run: Run) -> None:
    small_ledger(write_ledger)
    assert "more digits than any id can have" in run("show", HUGE).stderr
    assert "more days than the calendar holds: use at most 3652058" in (
        run("list", "--due-within", HUGE).stderr
    )
    assert "is out of range" in run("extend", "1", "--to", f"+{HUGE}d", "--reason", "r").stderr


@pytest.mark.parametrize("output", ["table", "json", "markdown", "html", "csv"])
def test_t1_a_due_soon_window_past_9999_12_31_is_cut_at_the_calendar_end(
    write_ledger: WriteLedger, run: Run, output: str
) -> None:
    path = small_ledger(write_ledger)
    before = path.read_bytes()
    for args in (
        ("report", "--due-within", "3000000"),
        ("report", "--as-of", "9999-12-31"),
        ("report", "--as-of", "9999-12-31", "--due-within", "3652058"),
    ):
        result = run(*args, "--format", output)
        assert result.exit_code == 0, result.output
        assert result.exception is None
    assert path.read_bytes() == before
    report = json.loads(run("report", "--due-within", "3000000", "--format", "json").stdout)
    assert [m["id"] for m in report["due_soon"]] == [3]  # due 2099-12-31, open
    assert report["due_within"] == 3000000
    late = json.loads(run("report", "--as-of", "9999-12-31", "--format", "json").stdout)
    assert late["as_of"] == "9999-12-31"
    assert len(late["overdue"]) == 3


def test_t1_list_due_within_and_a_deadline_on_the_last_day(
    write_ledger: WriteLedger, run: Run
) -> None:
    write_ledger(PLAN_HEADER + measure_block(1, deadline="9999-12-31"))
    listed = run("list", "--due-within", "3652058", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [m["id"] for m in json.loads(listed.stdout)] == [1]
    page = run("report", "--as-of", "9999-12-31", "--format", "html")
    assert page.exit_code == 0, page.output
    assert page.exception is None


@pytest.mark.parametrize(
    "args",
    [
        ("show", HUGE),
        ("log", HUGE),
        ("list", "--due-within", HUGE),
        ("list", "--due-within", "99999999999999999999"),
        ("show", "1" * 30),
    ],
)
def test_t1_the_quick_path_hands_long_numbers_to_the_full_parser(
    write_ledger: WriteLedger, args: tuple[str, ...]
) -> None:
    small_ledger(write_ledger)
    assert process("list").returncode == 0  # the snapshot is kept: the quick path may answer
    result = process(*args)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")


def test_t1_the_quick_path_never_fails_on_what_it_did_not_foresee(
    write_ledger: WriteLedger, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from measures import quick

    small_ledger(write_ledger)
    assert process("list").returncode == 0  # a snapshot is kept

    def overflow(*args: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(quick, "_prepare", overflow)
    assert quick.serve(["list"]) is False  # the full command line answers instead
    monkeypatch.setattr(quick, "_is_number", lambda argument: int(HUGE) > 0)
    assert quick.serve(["show", "1"]) is False
    assert capsys.readouterr().out == ""


# --- T2: text longer than the ledger allows ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("note", "1", "n" * 10_001), "TEXT is 10001 characters long; at most 10000"),
        (("done", "1", "--note", "n" * 10_001), "--note is 10001 characters long; at most 10000"),
        (("start", "1", "--note", "n" * 10_001), "--note is 10001"),
        (("block", "1", "--reason", "r" * 10_001), "--reason is 10001 characters long"),
        (("extend", "1", "--to", "2030-01-01", "--reason", "r" * 10_001), "--reason is 10001"),
        (("note", "1", "text", "--by", "b" * 201), "--by is 201 characters long; at most 200"),
        (("done", "1", "--by", "b" * 201), "--by is 201 characters long; at most 200"),
        (("set", "1", "--title", "t" * 501), "--title is 501 characters long; at most 500"),
        (("set", "1", "--owner", "o" * 201), "--owner is 201 characters long; at most 200"),
        (("set", "1", "--partner", "p" * 201), "--partner is 201 characters long"),
        (("set", "1", "--title-en", "e" * 1001), "--title-en is 1001 characters long"),
        (("set", "1", "--source", "s" * 10_001), "--source is 10001 characters long"),
        (("set", "1", "--owner", "x", "--note", "n" * 10_001), "--note is 10001"),
        (
            ("add", "--title", "t", "--owner", "o" * 201, "--deadline", "2030-01-01"),
            "--owner is 201 characters long",
        ),
        (
            ("add", "--title", "t", "--owner", "o", "--deadline", "2030-01-01", "--by", "b" * 201),
            "--by is 201 characters long",
        ),
    ],
)
def test_t2_text_over_the_limit_names_the_option_and_the_limit(
    write_ledger: WriteLedger, run: Run, args: tuple[str, ...], words: str
) -> None:
    path = small_ledger(write_ledger)
    before = path.read_bytes()
    assert_refused(run(*args), path, before, words)


def test_t2_import_by_over_the_limit(write_ledger: WriteLedger, run: Run, isolated: Path) -> None:
    path = small_ledger(write_ledger)
    assert run("export", "--format", "csv", "--output", "out.csv").exit_code == 0
    before = path.read_bytes()
    assert_refused(run("import", "out.csv", "--by", "b" * 201), path, before, "--by is 201")


def test_t2_at_the_limit_is_taken(write_ledger: WriteLedger, run: Run) -> None:
    small_ledger(write_ledger)
    result = run("note", "1", "n" * 10_000, "--by", "b" * 200)
    assert result.exit_code == 0, result.output
    assert run("check").exit_code == 0


def test_t2_the_core_refuses_with_a_clear_error_too() -> None:
    from measures.domain.changes import add_note
    from measures.errors import BadValue
    from measures.model.records import Measure, Status

    measure = Measure(id=1, title="t", deadline=date(2021, 1, 1), status=Status.TODO)
    at = datetime(2021, 1, 1, tzinfo=UTC)
    with pytest.raises(BadValue, match="note: is 10001 characters long; at most 10000"):
        add_note(measure, "n" * 10_001, "wang", at)
    with pytest.raises(BadValue, match="by: is 201 characters long; at most 200"):
        add_note(measure, "n", "b" * 201, at)


# --- T3: a command line that is not UTF-8 ----------------------------------------------

C_LOCALE = {"LC_ALL": "C", "PYTHONUTF8": "0"}


@pytest.mark.parametrize(
    "args",
    [
        (b"note", b"1", b"\xff\xfe"),
        (b"done", b"1", b"--note", b"\xe4\xb8"),  # a character cut short
        (b"done", b"1", b"--by", b"\xff"),
        (b"set", b"1", b"--title", b"\xc0\x80"),
        (b"show", b"\xff"),
        (b"list", b"--owner", b"\xff"),
        (b"list", b"--search", b"\xff"),
        (b"init", b"new.toml", b"--empty", b"--name", b"\xff"),
    ],
)
@pytest.mark.parametrize("locale", ["utf-8", "C"])
def test_t3_argv_that_is_not_utf8_is_a_usage_error(
    write_ledger: WriteLedger, isolated: Path, args: tuple[bytes, ...], locale: str
) -> None:
    path = small_ledger(write_ledger)
    before = path.read_bytes()
    result = bytes_process(*args, **(C_LOCALE if locale == "C" else {}))
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert "is not UTF-8 text" in stderr
    assert path.read_bytes() == before
    assert not (isolated / "new.toml").exists()


@pytest.mark.slow
def test_t3_chinese_under_a_c_locale_is_read_as_typed(
    write_ledger: WriteLedger, isolated: Path
) -> None:
    path = small_ledger(write_ledger)
    noted = bytes_process(b"note", b"2", "系统已上线".encode(), b"--by", "王".encode(), **C_LOCALE)
    assert noted.returncode == 0, noted.stderr
    text = path.read_text(encoding="utf-8")
    assert 'note = "系统已上线"' in text and 'by = "王"' in text
    found = bytes_process(
        b"list", b"--owner", "市场".encode(), b"--format", b"json", **C_LOCALE
    ).stdout
    assert [m["id"] for m in json.loads(found)] == [1]
    searched = bytes_process(
        b"list", b"--search", "上线".encode(), b"--format", b"json", **C_LOCALE
    )
    assert [m["id"] for m in json.loads(searched.stdout)] == [2]
    by_status = bytes_process(b"list", b"--status", "推进中".encode(), **C_LOCALE)
    assert by_status.returncode == 0, by_status.stderr
    made = bytes_process(
        b"init", b"plan.toml", b"--empty", b"--name", "2021年方案".encode(), **C_LOCALE
    )
    assert made.returncode == 0, made.stderr
    assert 'name = "2021年方案"' in (isolated / "plan.toml").read_text(encoding="utf-8")
    assert bytes_process(b"-f", b"plan.toml", b"check", **C_LOCALE).returncode == 0


@pytest.mark.slow
def test_t3_a_chinese_file_name_under_a_c_locale_still_opens(
    write_ledger: WriteLedger, isolated: Path
) -> None:
    small_ledger(write_ledger)
    (isolated / "measures.toml").rename(isolated / "台账.toml")
    name = "台账.toml".encode()
    for _ in range(2):  # the full command line, then the quick path
        listed = bytes_process(b"-f", name, b"list", b"--format", b"json", **C_LOCALE)
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 3
    done = bytes_process(b"done", b"1", b"-f", name, **C_LOCALE)
    assert done.returncode == 0, done.stderr
    assert 'status = "done"' in (isolated / "台账.toml").read_text(encoding="utf-8")


# --- T4: an output that is not UTF-8 ---------------------------------------------------

READS = [
    ("list",),
    ("list", "--format", "json"),
    ("list", "--format", "csv"),
    ("list", "--format", "markdown"),
    ("list", "--as-of", "2020-12-31"),
    ("--lang", "zh", "list"),
    ("show", "1"),
    ("show", "1", "--format", "json"),
    ("log",),
    ("log", "--format", "json"),
    ("--lang", "zh", "log", "1"),
    ("report",),
    ("report", "--format", "json"),
    ("report", "--format", "markdown"),
    ("report", "--format", "html"),
    ("report", "--format", "csv"),
    ("--lang", "zh", "report"),
    ("check",),
    ("--lang", "zh", "--help"),
]
NOT_UTF8 = {"ascii": {"PYTHONIOENCODING": "ascii"}, "C": C_LOCALE}


@pytest.mark.slow
@pytest.mark.parametrize("encoding", list(NOT_UTF8))
def test_t4_every_read_command_works_on_an_output_that_is_not_utf8(
    write_ledger: WriteLedger, encoding: str
) -> None:
    path = small_ledger(write_ledger)
    before = path.read_bytes()
    for args in [*READS, *READS]:  # once read in full, once from the snapshot (quick path)
        result = process(*args, **NOT_UTF8[encoding])
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout.strip(), args
        if "--help" not in args and args[-1] not in ("csv", "markdown"):
            assert result.stdout.isascii(), args  # tables with \uXXXX escapes, JSON, HTML
    assert path.read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("encoding", list(NOT_UTF8))
def test_t4_data_formats_keep_their_values(write_ledger: WriteLedger, encoding: str) -> None:
    small_ledger(write_ledger)
    args: tuple[str, ...]
    for args in (("list",), ("show", "1"), ("log",), ("report",)):
        exact = process(*args, "--format", "json")
        assert exact.returncode == 0
        escaped = process(*args, "--format", "json", **NOT_UTF8[encoding])
        assert escaped.stdout.isascii() and "\\u" in escaped.stdout
        assert json.loads(escaped.stdout) == json.loads(exact.stdout)
    for args in (("list", "--format", "csv"), ("report", "--format", "markdown")):
        # UTF-8 whatever the locale, as the export files are: a redirect keeps the values.
        assert process(*args, **NOT_UTF8[encoding]).stdout == process(*args).stdout
    page = process("report", "--format", "html", **NOT_UTF8[encoding]).stdout
    assert "&#20225;&#19994;" in page  # 企业, as character references
    table = process("list", **NOT_UTF8[encoding]).stdout
    assert "\\u4f01\\u4e1a" in table  # 企业, as a backslash escape


# --- T8: a log value of the wrong kind ---------------------------------------------------

AT = datetime(2021, 1, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("owner", ["a"], "must be text for owner, not ['a']"),
        ("title", ("a",), "must be text for title"),
        ("source", 5, "must be text for source"),
        ("title_en", date(2021, 1, 1), "must be text for title_en"),
        ("partners", "a", "must be a list of text for partners, not 'a'"),
        ("partners", [1], "must be a list of text for partners"),
        ("deadline", "2021-01-01", "must be a date such as 2020-12-31 for deadline"),
        ("done_on", ["2021-01-01"], "must be a date"),
        (None, ["a"], "must be text, not ['a']"),
    ],
)
def test_t8_the_model_refuses_a_log_value_of_the_wrong_kind(
    field: str | None, value: object, words: str
) -> None:
    for key in ("old", "new"):
        with pytest.raises(ValidationError, match=words.replace("[", r"\[").replace("(", r"\(")):
            LogEntry.model_validate(
                {"at": AT, "action": "set", "field": field, key: value}, strict=False
            )


def test_t8_each_field_takes_its_own_kind() -> None:
    entry = LogEntry(at=AT, action="set", field="partners", old=["a", "b"], new=[])
    assert entry.old == ("a", "b") and entry.new == ()
    assert LogEntry(at=AT, action="set", field="owner", old="a", new="").old == "a"
    dated = LogEntry(at=AT, action="set", field="deadline", old=date(2021, 1, 1))
    assert dated.old == date(2021, 1, 1)
    status = LogEntry(at=AT, action="set", field="status", old="todo", new="done")
    assert status.new == "done"


LIST_ON_OWNER = """
[[measures.log]]
at = 2021-01-05T09:00:00+08:00
by = "wang"
action = "set"
field = "owner"
old = ["a"]
new = "区局"
"""


@pytest.mark.parametrize(
    "args",
    [
        ("check",),
        ("list",),
        ("list", "--as-of", "2021-01-01", "--sort", "owner"),
        ("list", "--as-of", "2021-01-01", "--search", "x"),
        ("list", "--as-of", "2021-01-01", "--owner", "x"),
        ("report", "--as-of", "2021-01-01"),
        ("done", "1"),
    ],
)
def test_t8_check_and_every_command_name_the_entry(
    write_ledger: WriteLedger, run: Run, args: tuple[str, ...]
) -> None:
    text = PLAN_HEADER + measure_block(1, owner="区局", extra=LIST_ON_OWNER) + measure_block(2)
    path = write_ledger(text)
    before = path.read_bytes()
    result = run(*args)
    output = result.stdout + result.stderr
    assert result.exit_code == 1, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "measure 1 (line 6)" in output
    assert "log.0.old: must be text for owner, not ['a']" in output
    assert path.read_bytes() == before


# --- S1: ledger text on a terminal ------------------------------------------------------

HOSTILE_TITLE = "t\x1b[31mred\x9b\u202eevil\x07"
HOSTILE_OWNER = "o\x1b]8;;http://x\x1b\\link"
HOSTILE_PLAN = "plan\x1b]0;pwned\x07"
SEQUENCES = ("\x1b]", "\x07", "\x9b", "\u202e", "\x1b[31mred", "\x1b[2J")


def hostile_ledger(write_ledger: WriteLedger) -> Path:
    log = (
        "\n[[measures.log]]\nat = 2020-12-01T09:00:00+08:00\n"
        f'by = "w\\u001b[2J"\naction = "note"\nnote = "{_toml(HOSTILE_TITLE)}"\n'
    )
    text = (
        f'[plan]\nname = "{_toml(HOSTILE_PLAN)}"\n'
        f'\n[[measures]]\nid = 1\ntitle = "{_toml(HOSTILE_TITLE)}"\n'
        f'owner = "{_toml(HOSTILE_OWNER)}"\npartners = ["{_toml(HOSTILE_OWNER)}"]\n'
        f'deadline = 2020-12-31\nstatus = "todo"\nsource = "{_toml(HOSTILE_TITLE)}"\n{log}'
    )
    return write_ledger(text)


def _toml(text: str) -> str:
    return "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)


def on_a_terminal(*args: str) -> tuple[int, str, str]:
    """Run `python -m measures ARGS` with standard output on a pseudo-terminal."""
    import pty
    import select

    primary, secondary = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    environment.update(LANG="C.UTF-8", COLUMNS="200", NO_COLOR="1")
    child = subprocess.Popen(
        [sys.executable, "-m", "measures", *args],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(secondary)
    shown = b""
    while True:
        ready, _w, _x = select.select([primary], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        shown += chunk
    child.wait(timeout=30)
    os.close(primary)
    assert child.stderr is not None
    return child.returncode, shown.decode("utf-8"), child.stderr.read().decode("utf-8")


TERMINAL_READS = [
    ("list", "--format", "csv"),
    ("list", "--format", "json"),
    ("list", "--format", "markdown"),
    ("list",),
    ("show", "1"),
    ("show", "1", "--format", "json"),
    ("log",),
    ("log", "--format", "json"),
    ("report",),
    ("report", "--format", "csv"),
    ("report", "--overdue", "--format", "csv"),
    ("report", "--format", "json"),
    ("report", "--format", "markdown"),
    ("report", "--format", "html"),
    ("check",),
]


@pytest.mark.slow
def test_s1_every_format_on_a_terminal_shows_ledger_text_inert(write_ledger: WriteLedger) -> None:
    hostile_ledger(write_ledger)
    for args in [*TERMINAL_READS, *TERMINAL_READS]:  # full command line, then quick path
        code, shown, errors = on_a_terminal(*args)
        assert code == 0, (args, errors)
        for sequence in SEQUENCES:
            assert sequence not in shown, (args, sequence, shown)


def test_s1_json_on_a_terminal_still_reads_back_exactly(write_ledger: WriteLedger) -> None:
    hostile_ledger(write_ledger)
    code, shown, _errors = on_a_terminal("list", "--format", "json")
    assert code == 0
    assert "\\u001b]8;;" in shown and "\\u202e" in shown and "\\u009b" in shown
    [record] = json.loads(shown)
    assert record["title"] == HOSTILE_TITLE
    assert record["owner"] == HOSTILE_OWNER
    code, shown, _errors = on_a_terminal("list", "--format", "csv")
    assert "t\\x1b[31mred\\x9b\\u202eevil\\x07" in shown


@pytest.mark.slow
def test_s1_to_a_pipe_values_stay_exact(write_ledger: WriteLedger) -> None:
    hostile_ledger(write_ledger)
    for _ in range(2):
        csv_text = process("list", "--format", "csv").stdout
        assert HOSTILE_TITLE in csv_text and HOSTILE_OWNER in csv_text
        [record] = json.loads(process("list", "--format", "json").stdout)
        assert record["title"] == HOSTILE_TITLE
        report = process("report", "--overdue", "--format", "csv").stdout
        assert HOSTILE_TITLE in report


def test_s1_the_renderers_ask_the_stream(
    write_ledger: WriteLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from measures.domain.reports import build_report
    from measures.ledger.store import read_ledger
    from measures.render import output

    ledger = read_ledger(hostile_ledger(write_ledger)).ledger

    class Terminal(io.StringIO):
        encoding = "utf-8"

        def isatty(self) -> bool:
            return True

    for fmt in ("csv", "json", "markdown"):
        screen = Terminal()
        monkeypatch.setattr(sys, "stdout", screen)
        output.print_measures(ledger.measures, TODAY, fmt)
        assert not any(s in screen.getvalue() for s in SEQUENCES), fmt
    report = build_report(ledger, TODAY)
    for fmt in ("csv", "json", "markdown", "html"):
        screen = Terminal()
        monkeypatch.setattr(sys, "stdout", screen)
        output.write_out(output.report_for_stdout(report, fmt, False), fmt)
        assert not any(s in screen.getvalue() for s in SEQUENCES), fmt
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # not a terminal: exact
    assert HOSTILE_TITLE in output.report_for_stdout(report, "csv", True)


# --- W3: awkward ledger paths in .gitattributes ----------------------------------------


@pytest.fixture
def git_repo(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    empty = isolated / "empty.gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = isolated / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Office")
    git(root, "config", "user.email", "office@example.org")
    return root


def git(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=False, env=env
    )


@pytest.mark.parametrize(
    "name",
    [
        "#hash.toml",
        "!bang.toml",
        "new\nline.toml",
        "cr\rx.toml",
        "tab\tx.toml",
        "bell\x07.toml",
        " spaces around .toml",
        "st*r?[ab].toml",
        'back\\slash "quoted".toml',
        "sub/#in a folder.toml",
    ],
)
def test_w3_git_setup_writes_a_pattern_git_reads_for_any_path(
    git_repo: Path, run: Run, name: str
) -> None:
    ledger = git_repo / name
    ledger.parent.mkdir(exist_ok=True)
    ledger.write_text(PLAN_HEADER + measure_block(1), encoding="utf-8")
    (git_repo / "other.toml").write_text("")  # must not match
    result = run("--file", str(ledger), "git-setup")
    assert result.exit_code == 0, result.stderr
    check = git(git_repo, "check-attr", "-z", "merge", "--", name, "other.toml")
    assert check.stderr == ""  # no "negative patterns are ignored" warning
    assert check.stdout.split("\0")[2::3] == ["measures", "unspecified"]
    lines = (git_repo / ".gitattributes").read_bytes().split(b"\n")
    assert len(lines) == 2 and lines[1] == b""  # one line, whatever the path holds


def test_git_setup_registers_a_driver_that_works_from_any_shell(
    git_repo: Path, run: Run, isolated: Path
) -> None:
    ledger = git_repo / "measures.toml"
    ledger.write_text(PLAN_HEADER + measure_block(1) + measure_block(2), encoding="utf-8")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "ledger")
    result = run("--file", str(ledger), "git-setup")
    assert result.exit_code == 0, result.stderr
    driver = git(git_repo, "config", "merge.measures.driver").stdout.strip()
    assert driver == f"{shlex.quote(sys.executable)} -m measures merge-driver %O %A %B"
    assert shlex.split(driver)[0] == sys.executable
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "merge driver")
    git(git_repo, "checkout", "-q", "-b", "theirs")
    assert run("--file", str(ledger), "done", "2").exit_code == 0
    git(git_repo, "commit", "-q", "-am", "done 2")
    git(git_repo, "checkout", "-q", "main")
    assert run("--file", str(ledger), "start", "1").exit_code == 0
    git(git_repo, "commit", "-q", "-am", "start 1")
    # A shell without the virtualenv: no `measures` on PATH.
    bare = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    bare["PATH"] = "/usr/bin:/bin"
    assert subprocess.run(["sh", "-c", "command -v measures"], env=bare).returncode != 0
    merge = git(git_repo, "merge", "--no-edit", "theirs", env=bare)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    text = ledger.read_text(encoding="utf-8")
    assert text.count('status = "doing"') == 1 and text.count('status = "done"') == 1


def test_git_setup_doubles_a_percent_sign_in_the_interpreter_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from measures.cli.git_commands import driver_command

    monkeypatch.setattr(sys, "executable", "/opt/100% python/bin/python")
    assert driver_command() == "'/opt/100%% python/bin/python' -m measures merge-driver %O %A %B"


# --- W4: init inputs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("方" * 600, "--name is 600 characters long; at most 500 are allowed"),
        ("a" * 501, "--name is 501 characters long"),
        ("", "--name must not be empty"),
        ("  \t ", "--name must not be empty"),
    ],
)
def test_w4_init_refuses_a_name_no_command_would_read(
    run: Run, isolated: Path, name: str, words: str
) -> None:
    result = run("init", "plan.toml", "--empty", "--name", name)
    assert result.exit_code == 1, result.output
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert not (isolated / "plan.toml").exists()


@pytest.mark.parametrize("name", ["方" * 500, 'quotes " and \\ back', "tab\tand\x1bescape"])
def test_w4_any_name_init_takes_reads_back(run: Run, isolated: Path, name: str) -> None:
    assert run("init", "plan.toml", "--empty", "--name", name).exit_code == 0
    assert run("-f", "plan.toml", "check").exit_code == 0
    from measures.ledger.store import read_ledger

    assert read_ledger(isolated / "plan.toml").ledger.plan.name == name


# --- W7: conflict markers in the file's own line ends -----------------------------------


def test_w7_conflict_markers_in_a_crlf_ledger_end_in_crlf() -> None:
    from measures.domain.merge import merge_texts

    def crlf(owner: str) -> str:
        return (PLAN_HEADER + measure_block(1, owner=owner) + measure_block(2)).replace(
            "\n", "\r\n"
        )

    result = merge_texts(crlf("区局"), crlf("区甲局"), crlf("区乙局"))
    assert not result.clean
    assert "<<<<<<< ours\r\n" in result.text and ">>>>>>> theirs\r\n" in result.text
    assert "=======\r\n" in result.text
    assert result.text.count("\n") == result.text.count("\r\n")  # no bare LF anywhere


def test_w7_the_driver_writes_crlf_markers(run: Run, isolated: Path) -> None:
    paths = []
    for name, owner in (("base", "区局"), ("ours", "区甲局"), ("theirs", "区乙局")):
        path = isolated / name
        text = PLAN_HEADER + measure_block(1, owner=owner)
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
        paths.append(str(path))
    result = run("merge-driver", *paths)
    assert result.exit_code == 1
    merged = (isolated / "ours").read_bytes()
    assert b"<<<<<<< ours\r\n" in merged
    assert merged.count(b"\n") == merged.count(b"\r\n")
