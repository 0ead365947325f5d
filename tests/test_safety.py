"""Nothing lost under any input: bad files and values, concurrent and killed writers."""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from measures.ledger.store import read_ledger

from .conftest import PLAN_HEADER, REPO, SHIPPED, Run, WriteLedger, measure_block

GOOD = PLAN_HEADER + measure_block(1) + measure_block(2) + measure_block(3)

# (name, file content or None for no file, command, exit code, text expected on stderr)
CATALOGUE = [
    (
        "invalid TOML",
        PLAN_HEADER + "\n[[measures]]\nid = = 1\n",
        ["list"],
        1,
        "invalid TOML: Invalid value (at line 7, column 6)",
    ),
    (
        "duplicate id",
        PLAN_HEADER + measure_block(1) + measure_block(1),
        ["list"],
        1,
        "duplicate id 1",
    ),
    (
        "unknown status",
        PLAN_HEADER + measure_block(1, status="finished"),
        ["list"],
        1,
        "measure 1 (line 6): status: 'finished' is not a status",
    ),
    (
        "impossible date in the file",
        PLAN_HEADER + measure_block(1, deadline="2020-02-30"),
        ["list"],
        1,
        "invalid TOML: Invalid date or datetime (at line 10, column 12)",
    ),
    (
        "date as a string",
        PLAN_HEADER + measure_block(1, deadline='"2020-12-31"'),
        ["list"],
        1,
        "deadline: must be a TOML date such as 2020-12-31, not '2020-12-31'",
    ),
    (
        "id zero",
        PLAN_HEADER + measure_block(0),
        ["list"],
        1,
        "id: must be a positive whole number, not 0",
    ),
    (
        "id negative",
        PLAN_HEADER + measure_block(-2),
        ["list"],
        1,
        "id: must be a positive whole number, not -2",
    ),
    (
        "id not a number",
        PLAN_HEADER + measure_block(1).replace("id = 1", 'id = "one"'),
        ["list"],
        1,
        "id: must be a whole number, not 'one'",
    ),
    (
        "missing title",
        PLAN_HEADER + measure_block(1).replace('title = "举措"\n', ""),
        ["list"],
        1,
        "measure 1 (line 6): title: is missing",
    ),
    (
        "measures not an array of tables",
        PLAN_HEADER.replace("[plan]", 'measures = "all"\n[plan]'),
        ["list"],
        1,
        "measures: must be an array of tables, written [[measures]]",
    ),
    (
        "measures under the plan table",
        PLAN_HEADER + "measures = []\n",
        ["list"],
        1,
        "measures are written under [plan]",
    ),
    ("no plan table", measure_block(1), ["list"], 1, "the [plan] table is missing"),
    (
        "done_on on an open measure",
        PLAN_HEADER + measure_block(1, extra="done_on = 2020-12-01\n"),
        ["list"],
        1,
        "done_on is set but status is 'todo'",
    ),
    ("empty file", "", ["list"], 1, "the file is empty"),
    ("not UTF-8", None, ["list"], 1, "line 2: the file is not UTF-8 text"),
    (
        "a 100,000-character title",
        PLAN_HEADER + measure_block(1, title="长" * 100_000),
        ["list"],
        1,
        "title: is 100000 characters long; at most 500 are allowed",
    ),
    (
        "missing file named by --file",
        GOOD,
        ["--file", "nowhere.toml", "list"],
        1,
        "nowhere.toml: no such ledger file (named by --file)",
    ),
    ("unknown id", GOOD, ["done", "7"], 1, "no measure has id 7"),
    ("malformed id", GOOD, ["done", "3x"], 1, "'3x' is not a measure id"),
    (
        "huge id",
        GOOD,
        ["done", "99999999999999999999"],
        1,
        "no measure has id 99999999999999999999",
    ),
    (
        "impossible date on the command line",
        GOOD,
        ["done", "1", "--on", "2020-02-30"],
        1,
        "--on '2020-02-30' does not exist on the calendar",
    ),
    (
        "malformed date on the command line",
        GOOD,
        ["done", "1", "--on", "2020-1-"],
        1,
        "--on '2020-1-' is not a date",
    ),
    ("read-only ledger", GOOD, ["done", "1"], 1, "the file is read-only; nothing was changed"),
]


@pytest.mark.parametrize(
    ("content", "args", "code", "expected"),
    [case[1:] for case in CATALOGUE],
    ids=[case[0] for case in CATALOGUE],
)
def test_bad_input_is_one_clear_error_and_changes_nothing(
    run: Run, isolated: Path, content: str | None, args: list[str], code: int, expected: str
) -> None:
    path = isolated / "measures.toml"
    if content is None:
        path.write_bytes(PLAN_HEADER.replace("测试", "测试").encode("gbk"))
    else:
        path.write_text(content, encoding="utf-8")
    if "read-only" in expected:
        path.chmod(0o444)
    before = path.read_bytes()
    result = run(*args)
    assert result.exit_code == code
    assert expected in result.stderr
    assert result.stderr.startswith("Error: ")
    assert 1 <= len(result.stderr.rstrip("\n").split("\n")) <= 2
    assert max(len(line) for line in result.stderr.splitlines()) < 400
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == before


def test_no_ledger_anywhere(run: Run, isolated: Path) -> None:
    result = run("done", "1")
    assert result.exit_code == 1
    assert "no ledger found" in result.stderr and "measures init" in result.stderr
    assert list(isolated.iterdir()) == []


def _process_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MEASURES_FILE"}
    env["PYTHONPATH"] = str(REPO / "src")
    return env


@pytest.mark.slow
def test_24_concurrent_writers_all_land(ledger: Path) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "measures", "-f", str(ledger), "done", str(ident)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_process_env(),
        )
        for ident in range(1, 25)
    ]
    outcomes = [
        (p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in processes
    ]
    assert [code for code, _ in outcomes] == [0] * 24, outcomes
    measures = read_ledger(ledger).ledger.measures
    assert [m.status.value for m in measures[:24]] == ["done"] * 24
    assert [m.status.value for m in measures[24:]] == ["todo"] * 7
    assert all(len(m.log) == 1 for m in measures[:24])


WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from measures.domain.changes import set_fields
from measures.ledger.store import update_ledger

path = Path(sys.argv[1])
at = datetime(2021, 1, 1, tzinfo=timezone.utc)
round = 0
while True:
    round += 1
    ident = round % 31 + 1
    update_ledger(path, lambda l: l.replace(
        set_fields(l.get(ident), {"owner": f"单位{round}"}, "writer", at, "x" * (round % 300))
    ))
    print(round, flush=True)
"""


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_never_leaves_a_broken_file(ledger: Path) -> None:
    chance = random.Random(20201106)
    ids = list(range(1, 32))
    for _ in range(25):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(ledger)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_process_env(),
        )
        assert writer.stdout is not None
        assert writer.stdout.readline()  # it is writing now: kill it somewhere in its loop
        time.sleep(chance.uniform(0, 0.1))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        loaded = read_ledger(ledger)  # always parses, always validates
        assert [m.id for m in loaded.ledger.measures] == ids
    assert any(m.owner.startswith("单位") for m in read_ledger(ledger).ledger.measures)
    # The next write clears what a killed writer left half-written.
    subprocess.run(
        [sys.executable, "-m", "measures", "-f", str(ledger), "done", "1"],
        env=_process_env(),
        check=True,
        capture_output=True,
    )
    assert [p.name for p in ledger.parent.iterdir() if p.suffix == ".tmp"] == []


def test_done_changes_one_line_of_a_commented_ledger(run: Run, write_ledger: WriteLedger) -> None:
    original = (
        "# 台账 of the test plan; kept by the office.\n\n"
        + PLAN_HEADER
        + measure_block(1)
        + measure_block(2, extra="# checked with the unit on 2020-11-20\n")
        + measure_block(3)
    ).replace(
        'owner = "区政务服务局"\ndeadline = 2020-12-31\nstatus = "todo"\n# checked',
        'owner = "区政务服务局"  # lead unit\ndeadline = 2020-12-31\nstatus = "todo"\n# checked',
    )
    path = write_ledger(original)
    assert "# lead unit" in original
    result = run("done", "2", "--note", "已完成")
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(original.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [line for line in diff[2:] if line.startswith("-")]
    added = [line for line in diff[2:] if line.startswith("+")]
    assert removed == ['-status = "todo"']
    assert added[0] == '+status = "done"'
    assert any(line.startswith("+done_on = ") for line in added)
    assert "+[[measures.log]]" in added and '+note = "已完成"' in added
    assert after.startswith("# 台账 of the test plan; kept by the office.\n")


HOSTILE = {
    "markup": "[bold]粗体[/bold] [link=http://x]点击[/link]",
    "escape": "\x1b[2J\x1b]8;;http://x\x07链接\x1b]8;;\x07",
    "control": "退格\x08响铃\x07回车\r换行\n制表\t结束",
    "bidi": "\u202etxt.exe\u2066隔离\u2069\u200f",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_text_is_shown_inert_everywhere(
    run: Run, write_ledger: WriteLedger, kind: str
) -> None:
    value = HOSTILE[kind]
    encoded = json.dumps(value, ensure_ascii=True)  # a valid TOML basic string
    write_ledger(
        PLAN_HEADER.replace('name = "测试方案"', f"name = {encoded}")
        + measure_block(1)
        .replace('title = "举措"', f"title = {encoded}")
        .replace('owner = "区政务服务局"', f"owner = {encoded}")
    )
    assert run("note", "1", value).exit_code == 0  # into the log, for show and log
    outputs = [
        run(*args).stdout
        for args in (
            ["list"],
            ["report"],
            ["report", "--overdue"],
            ["show", "1"],
            ["log"],
            ["list", "--format", "markdown"],
            ["report", "--format", "markdown"],
            ["--lang", "zh", "list"],
            ["--lang", "zh", "show", "1"],
        )
    ]
    for shown in outputs:
        assert shown
        assert not any(ch in shown for ch in "\x1b\x07\x08\r\u202e\u2066\u2069\u200f")
    if kind == "markup":
        assert "[bold]粗体[/bold]" in outputs[0] and "[link=http://x]" in outputs[0]
    rows = json.loads(run("list", "--format", "json").stdout)
    assert rows[0]["title"] == value and rows[0]["owner"] == value
    report = json.loads(run("report", "--format", "json").stdout)
    assert report["plan"] == value
    (entry,) = json.loads(run("log", "--format", "json").stdout)
    assert entry["note"] == value
    table = list(csv.reader(io.StringIO(run("list", "--format", "csv").stdout)))
    assert len(table) == 2 and table[1][1].lstrip("'") == value


def test_the_shipped_ledger_is_never_the_target(ledger: Path) -> None:
    assert ledger != SHIPPED and ledger.read_bytes() == SHIPPED.read_bytes()
