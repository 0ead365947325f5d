"""After every write command, the ledger parses with tomllib and validates with the model.

The write commands, from `measures --help`: done, start, block, drop, verify,
reopen, extend, note, set, add, import, undo, init; and the merge driver git runs
(merge-driver), which writes the merged ledger. (list, show, log, check, report,
export and git-setup do not write the ledger.) Each runs on a copy of the shipped
ledger, on the same with a byte-order mark and CRLF line ends, and on one whose
headers are quoted; and under a local UTC offset with seconds.
"""

from __future__ import annotations

import shutil
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from measures.model import validate
from measures.model.records import Ledger
from tests.conftest import SHIPPED, Run

BOM = "\ufeff"

STEPS: list[tuple[str, ...]] = [
    ("start", "4", "--note", "已召开部署会"),
    ("block", "5", "--reason", "等待接口\u2028（市级）"),
    ("done", "4", "--on", "2020-12-01", "--note", "系统已上线"),
    ("verify", "4", "--by", "zhao"),
    ("reopen", "5", "--note", "接口已开通"),
    ("extend", "6", "--to", "2021-06-30", "--reason", "延期"),
    ("set", "7", "--title", "新标题", "--owner", "区局", "--partner", "甲", "--partner", "乙"),
    ("set", "7", "--no-partners", "--source", 'a "quoted" \\ source\nline two'),
    ("note", "8", 'a """ note with [[measures]] inside\n[[measures]]'),
    ("drop", "9", "--reason", "并入第3条"),
    ("done", "10", "11"),
    ("add", "--title", "新举措", "--owner", "区政务服务局", "--deadline", "2021-06-30"),
    ("add", "--title", "编号", "--owner", "", "--deadline", "2021-06-30", "--id", "99"),
    ("import", "rows.csv"),
    ("undo",),
    ("undo",),
    ("note", "1", "after undo"),
]

IMPORT_ROWS = (
    "id,title,title_en,owner,partners,deadline,status,done_on,source\n"
    "12,导入的标题,,区发展和改革委员会,甲；乙,2021-03-31,doing,,\n"
    "200,新导入,,区局,,2021-09-30,todo,,\n"
)


def _variant(kind: str) -> bytes:
    text = SHIPPED.read_text(encoding="utf-8")
    if kind == "crlf-bom":
        return (BOM + text.replace("\n", "\r\n")).encode("utf-8")
    if kind == "quoted":
        return text.replace("[[measures]]", '[["measures"]]').encode("utf-8")
    return text.encode("utf-8")


def _reads(path: Path) -> Ledger:
    raw = path.read_bytes()
    text = raw.decode("utf-8").removeprefix(BOM)
    return validate.ledger(tomllib.loads(text))


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """The local time zone: the machine's, or one whose UTC offset has seconds."""
    if request.param is not None:
        monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("kind", "zone"),
    [
        ("shipped", None),
        ("crlf-bom", None),
        ("quoted", None),
        ("shipped", "ABC-08:05:43"),
        ("crlf-bom", "LMT+00:44:30"),
    ],
    indirect=["zone"],
)
def test_every_write_command_leaves_a_ledger_that_parses_and_validates(
    run: Run, isolated: Path, kind: str, zone: str | None
) -> None:
    ledger = isolated / "measures.toml"
    ledger.write_bytes(_variant(kind))
    (isolated / "rows.csv").write_text(IMPORT_ROWS, encoding="utf-8")
    for step in STEPS:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)
        _reads(ledger)
        # Read afresh too, without the snapshot: the file says what the tool said.
        shutil.rmtree(isolated.parent / "cache", ignore_errors=True)
        assert run("check").exit_code == 0, (step, run("check").output)
        if kind == "crlf-bom":
            raw = ledger.read_bytes()
            assert raw.startswith(BOM.encode("utf-8"))
            assert raw.count(b"\n") == raw.count(b"\r\n"), step
    final = _reads(ledger)
    assert final.get(4).status == "verified"
    assert final.get(5).status == "todo"  # blocked from todo, reopened
    assert final.get(1).log[-1].note == "after undo"
    ids = [m.id for m in final.measures]
    assert 32 in ids and 99 not in ids and 200 not in ids  # the import and one add undone


def test_init_writes_ledgers_that_parse_and_validate(run: Run, isolated: Path) -> None:
    assert run("init", "shipped.toml").exit_code == 0
    assert len(_reads(isolated / "shipped.toml").measures) == 31
    assert run("init", "empty.toml", "--empty", "--name", 'a "quoted" 名称 \\').exit_code == 0
    assert _reads(isolated / "empty.toml").plan.name == 'a "quoted" 名称 \\'
    result = run(
        "--file", "empty.toml", "add", "--title", "t", "--owner", "o", "--deadline", "2021-01-01"
    )
    assert result.exit_code == 0, result.output
    assert [m.id for m in _reads(isolated / "empty.toml").measures] == [1]


def test_merge_driver_writes_a_ledger_that_parses_and_validates(run: Run, isolated: Path) -> None:
    base = SHIPPED.read_text(encoding="utf-8")
    ours = isolated / "ours.toml"
    theirs = isolated / "theirs.toml"
    for path, step in ((ours, ("done", "3", "--on", "2020-12-01")), (theirs, ("note", "5", "x"))):
        path.write_text(base, encoding="utf-8")
        assert run("--file", str(path), *step).exit_code == 0
    (isolated / "base.toml").write_text(base, encoding="utf-8")
    result = run("merge-driver", "base.toml", "ours.toml", "theirs.toml")
    assert result.exit_code == 0, result.output
    merged = _reads(ours)
    assert merged.get(3).status == "done" and merged.get(5).log[-1].note == "x"
