"""Ledgers saved on Windows: a byte-order mark, CRLF line ends, or both, kept through edits."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.domain.merge import write_merged
from measures.ledger.store import read_ledger, undo_last

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

COMMENTED = "# 台账：第一行注释\n" + PLAN_HEADER + measure_block(1) + measure_block(2, "第二条")
LAYOUTS = {
    "lf": COMMENTED.encode(),
    "crlf": COMMENTED.replace("\n", "\r\n").encode(),
    "bom": ("\ufeff" + COMMENTED).encode(),
    "bom+crlf": ("\ufeff" + COMMENTED.replace("\n", "\r\n")).encode(),
}
COMMANDS = [
    ["done", "1"],
    ["start", "1"],
    ["note", "1", "进展顺利"],
    ["set", "1", "--title", "新标题"],
    ["add", "--title", "新举措", "--owner", "", "--deadline", "2021-06-30"],
]


def parsed(data: bytes) -> dict:
    return tomllib.loads(data.decode("utf-8").removeprefix("\ufeff"))


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_change_keeps_the_files_mark_and_line_ends(
    run: Run, write_ledger: WriteLedger, layout: str, command: list[str]
) -> None:
    original = LAYOUTS[layout]
    path = write_ledger("")
    path.write_bytes(original)
    result = run(*command)
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after != original
    assert after.startswith(b"\xef\xbb\xbf") == layout.startswith("bom")
    if "crlf" in layout:
        assert after.count(b"\n") == after.count(b"\r\n")
    else:
        assert b"\r" not in after
    # The lines before the changed record keep their bytes: the comment, the plan.
    head = original[: original.index(b"[[measures]]")]
    assert after.startswith(head)
    # Measure 2 is untouched, byte for byte (its block ends the file, or precedes an added one).
    second = original[original.index(b"[[measures]]", len(head) + 1) :]
    assert second in after
    assert parsed(after)["plan"] == parsed(original)["plan"]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_undo_gives_back_the_exact_bytes(run: Run, write_ledger: WriteLedger, layout: str) -> None:
    path = write_ledger("")
    path.write_bytes(LAYOUTS[layout])
    assert run("done", "2").exit_code == 0
    undo_last(path)
    assert path.read_bytes() == LAYOUTS[layout]


def test_a_file_that_mixes_line_ends_is_edited_as_it_stands(
    run: Run, write_ledger: WriteLedger
) -> None:
    mixed = (PLAN_HEADER + measure_block(1)).replace("\n", "\r\n") + measure_block(2)
    path = write_ledger("")
    path.write_bytes(mixed.encode())
    result = run("done", "2")
    assert result.exit_code == 0, result.output
    assert parsed(path.read_bytes())["measures"][1]["status"] == "done"
    assert path.read_bytes().startswith(mixed.split("[[measures]]")[0].encode())


@pytest.mark.parametrize("layout", ["crlf", "bom+crlf"])
def test_errors_in_a_crlf_file_name_the_line(
    write_ledger: WriteLedger, run: Run, layout: str
) -> None:
    text = LAYOUTS[layout].decode("utf-8").replace('status = "todo"', 'status = "finished"', 1)
    path = write_ledger("")
    path.write_bytes(text.encode())
    result = run("list")
    assert result.exit_code == 1
    line = text.removeprefix("\ufeff").split("\r\n").index("[[measures]]") + 1
    assert f"measure 1 (line {line})" in result.stderr


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_merge_keeps_the_files_mark_and_line_ends(write_ledger: WriteLedger, layout: str) -> None:
    from datetime import UTC, date, datetime

    from measures.domain.changes import mark_done

    path = write_ledger("")
    path.write_bytes(LAYOUTS[layout])
    loaded = read_ledger(path)
    old = loaded.ledger
    new = old.replace(
        mark_done(old.get(2), date(2021, 1, 5), "李", datetime(2021, 1, 5, tzinfo=UTC))
    )
    merged = write_merged(loaded.text, old, new).encode()
    assert merged.startswith(b"\xef\xbb\xbf") == layout.startswith("bom")
    if "crlf" in layout:
        assert merged.count(b"\n") == merged.count(b"\r\n")
    assert parsed(merged)["measures"][1]["status"] == "done"


HEADER_LINES = st.lists(
    st.sampled_from(
        [
            "[[measures]]",
            "  [[measures]]",
            "[[ measures ]] # 第二条",
            '[["measures"]]',
            "[['measures']]\r",
            "[[measures]]  ",
            "[[measures.log]]",
            "x = 1 # [[measures]]",
            "[[measures]][[measures]]",
            "\t[[ 'measures' ]]\t#",
            'title = "[[measures]]"',
            "[[measures]] x",
            "",
        ]
    ),
    max_size=12,
)


@given(HEADER_LINES, st.booleans())
def test_header_lines_are_the_lines_the_header_pattern_matches(
    lines: list[str], final_newline: bool
) -> None:
    from measures.model.headers import HEADER, _header_lines

    text = "\n".join(lines) + ("\n" if final_newline else "")
    matches = list(HEADER.finditer(text))
    assert _header_lines(text) == (
        [match.start() for match in matches],
        all(match.group(1) == "measures" for match in matches),
    )


@given(HEADER_LINES, st.text(alphabet="举措 a", max_size=5), st.booleans())
def test_record_offsets_are_the_bytes_of_the_record_starts(
    lines: list[str], word: str, hidden: bool
) -> None:
    from measures.model.headers import record_offsets, record_starts

    text = "".join(f"{line}\ntitle = '{word}'\n" for line in lines)
    if hidden:
        text += 'source = """\n[[measures]]\n"""\n'
    data = text.encode("utf-8")
    offsets = record_offsets(data)
    quoted = any(key in text for key in ('"measures"', "'measures'"))
    assert (offsets is None) == (hidden or quoted)
    if offsets is not None:
        assert offsets == [len(text[:start].encode("utf-8")) for start in record_starts(text)]
