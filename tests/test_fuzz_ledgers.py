"""Fuzz: valid ledgers, mutated, run through list, done, check and undo.

Whatever the mutation (bytes, characters, lines deleted or repeated, headers and
values edited, odd characters put in), no command may end in a traceback, and a
command that refuses (exit code not 0) must leave the ledger's bytes as they were.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHIPPED, invoke

pytestmark = pytest.mark.slow

# A small valid ledger with the shapes that matter: comments, a log, an array,
# quoted and bare headers, a multi-line string; and the shipped one's first part.
_SMALL = """\
# a ledger
[plan]
name = "测试方案"
declared = 4

[[measures]]
id = 1
title = "一"
owner = "区政务服务局"
partners = ["甲", "乙"]
deadline = 2020-12-31
status = "doing"

[[measures.log]]
at = 2020-11-10T09:00:00+08:00
by = "wang"
action = "start"
from = "todo"
to = "doing"

[["measures"]]
id = 2
title = "二"
deadline = 2021-03-31
status = "todo"
source = \"\"\"
多行
[[measures]]
\"\"\"

[[measures]]
id = 3
title = "三"
deadline = 2020-06-30
deadline_text = "2020年6月底前"
status = "done"
done_on = 2020-06-01

[[measures]]
id = 4
title = "四"
deadline_text = "长期坚持"
status = "doing"
"""
_SHIPPED_HEAD = SHIPPED.read_text(encoding="utf-8")[:3000].rsplit("\n[[measures]]", 1)[0] + "\n"
BASES = [_SMALL, _SHIPPED_HEAD, _SMALL.replace("\n", "\r\n"), "\ufeff" + _SMALL]

ODD = [
    "\u2028",
    "\u2029",
    "\u0085",
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "\r",
    '"',
    "'''",
    '"""',
    "[[measures]]",
    '[["measures"]]',
    "[[measures.log]]",
    "#",
    "=",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "\\u00",
    "9" * 4301,
    "[" * 600,
    "1e400",
    "-00:44:30",
    "2020-02-30",
    "\ud7ff",
    "\U0001f600",
    "inf",
    "nan",
    "true",
]
KEYS = [
    "id",
    "title",
    "status",
    "deadline",
    "deadline_text",
    "done_on",
    "owner",
    "partners",
    "at",
    "action",
]
VALUES = [
    "9" * 4301,
    "[" * 1000 + "]" * 1000,
    "{a = " * 500 + "1" + "}" * 500,
    "2020-01-01T00:00:00-00:44:30",
    '"""\n[[measures]]\nid = 1\n"""',
    '"a\\u2028b"',
    '"todo"',
    '"done"',
    "0",
    "-1",
    "2020-12-31",
    '""',
    "[]",
    "{}",
    "1",
    '"x"',
    "1979-05-27T07:32:00",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["byte", "char", "delete", "repeat", "odd", "key", "value"]))
        lines = text.split("\n")
        if kind == "byte":
            data = bytearray(text.encode("utf-8"))
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            if data:
                data[at] = draw(st.integers(0, 255))
            return bytes(data)  # possibly no longer UTF-8: the last mutation
        if kind == "char":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.characters(codec="utf-8")) + text[at + 1 :]
        elif kind in ("delete", "repeat"):
            at = draw(st.integers(0, len(lines) - 1))
            lines[at : at + 1] = [] if kind == "delete" else [lines[at], lines[at]]
            text = "\n".join(lines)
        elif kind == "odd":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(ODD)) + text[at:]
        else:
            key = draw(st.sampled_from(KEYS))
            value = draw(st.sampled_from(VALUES))
            if kind == "key":
                lines.insert(draw(st.integers(0, len(lines))), f"{key} = {value}")
            else:  # one of the lines that set `key` gets another value
                places = [i for i, line in enumerate(lines) if line.startswith(f"{key} =")]
                if places:
                    lines[draw(st.sampled_from(places))] = f"{key} = {value}"
            text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass")


COMMANDS = [
    ("list",),
    ("list", "--format", "json"),
    ("check",),
    ("done", "1", "--on", "2020-12-01"),
    ("done", "2"),
    ("note", "3", "a\u2028b"),
    ("undo",),
    ("extend", "4", "--to", "2021-01-01", "--reason", "延期"),
    ("report", "--format", "json"),
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=mutated())
def test_fuzz_mutated_ledgers_never_traceback_and_refusals_write_nothing(
    data: bytes, isolated: Path
) -> None:
    ledger = isolated / "measures.toml"
    shutil.rmtree(isolated / ".measures", ignore_errors=True)
    ledger.write_bytes(data)
    for command in COMMANDS:
        before = ledger.read_bytes()
        result = invoke(["--file", str(ledger), *command])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command,
            data[:300],
            result.exception,
        )
        assert "Traceback" not in result.output, (command, result.output)
        if result.exit_code != 0:
            assert ledger.read_bytes() == before, (command, result.output)
        elif command[0] in ("done", "note", "undo"):
            # A write that succeeded left a ledger that reads.
            check = invoke(["--file", str(ledger), "check"])
            assert check.exit_code == 0, (command, check.output)
