"""The storage layer under adversarial files and folders (issue 12: D1-D6, S3, S4, T5, T9, W1,
W2, W7, duplicate ids).

Each test names the item it covers. Anything that could hang the old code (a FIFO, a
link to /dev/zero) runs in a process of its own with a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
import tomllib
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path

import pytest
from typer.testing import Result

from measures.errors import InvalidLedger
from measures.ledger import journal, snapshot, store
from measures.model import validate
from measures.model.parse import parse_ledger
from measures.model.records import Ledger
from tests.conftest import (
    PLAN_HEADER,
    SHIPPED,
    Run,
    WriteLedger,
    measure_block,
    run_measures,
    run_python,
)

TIMEOUT = 30


def _no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def _valid(path: Path) -> Ledger:
    """The file parses with tomllib and validates, read afresh (no snapshot)."""
    return validate.ledger(tomllib.loads(path.read_text(encoding="utf-8").lstrip("\ufeff")))


def _process(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in `cwd`, under `env` too."""
    return run_python(args, cwd=cwd, extra=env, timeout=timeout)


_LOG = (
    '\n[[measures.log]]\nat = 2020-11-10T09:00:00+08:00\nby = "wang"\naction = "note"\nnote = "n"\n'
)


def _quoted(count: int) -> str:
    """A ledger of `count` measures, each under a quoted [["measures"]] header, with a log."""
    blocks = [
        measure_block(i, title=f"举措{i}", extra=_LOG).replace("[[measures]]", '[["measures"]]')
        for i in range(1, count + 1)
    ]
    return PLAN_HEADER + "".join(blocks)


# D1: a symlinked ledger ---------------------------------------------------------------


@pytest.fixture
def linked(isolated: Path) -> tuple[Path, Path]:
    real = isolated / "real" / "measures.toml"
    real.parent.mkdir()
    shutil.copyfile(SHIPPED, real)
    link = isolated / "measures.toml"
    link.symlink_to(Path("real") / "measures.toml")
    return link, real


def test_d1_write_through_a_symlink_changes_its_target(run: Run, linked: tuple[Path, Path]) -> None:
    link, real = linked
    result = run("done", "2")
    assert result.exit_code == 0, result.output
    assert link.is_symlink(), "the link was replaced by a file"
    assert _valid(real).get(2).status == "done"
    # Lock and journal beside the target; nothing beside the link.
    assert (real.parent / ".measures" / "measures.toml.lock").exists()
    assert (real.parent / ".measures" / "measures.toml.undo").exists()
    assert not (link.parent / ".measures").exists()
    assert not list(link.parent.glob(".measures.toml.*.tmp"))
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_bytes() == SHIPPED.read_bytes()


def test_d1_writers_through_link_and_real_path_exclude_each_other(
    run: Run, linked: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    link, real = linked
    (real.parent / ".measures").mkdir()
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.2)
    # Another writer, working on the real path, holds its lock.
    with FileLock(str(real.parent / ".measures" / "measures.toml.lock")):
        result = run("--file", str(link), "done", "2")
    assert result.exit_code == 1
    assert "still writing" in result.stderr
    assert real.read_bytes() == SHIPPED.read_bytes()


def test_d1_hard_linked_ledger_is_replaced_under_its_own_name(run: Run, ledger: Path) -> None:
    # As the README says: the write renames a new file over the name written to;
    # the other name keeps the old text.
    other = ledger.parent / "other.toml"
    os.link(ledger, other)
    assert run("done", "2").exit_code == 0
    assert _valid(ledger).get(2).status == "done"
    assert other.read_bytes() == SHIPPED.read_bytes()
    assert ledger.stat().st_ino != other.stat().st_ino


# D2: --output ---------------------------------------------------------------------------


def test_d2_output_through_a_symlink_writes_its_target(run: Run, ledger: Path) -> None:
    folder = ledger.parent / "out"
    folder.mkdir()
    target = folder / "report.md"
    target.write_text("old", encoding="utf-8")
    link = ledger.parent / "report.md"
    link.symlink_to(target)
    result = run("report", "--format", "markdown", "--output", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("#")
    exported = ledger.parent / "export.csv"
    exported.symlink_to(folder / "new.csv")  # dangling: the target is created
    result = run("export", "--format", "csv", "--output", str(exported))
    assert result.exit_code == 0, result.output
    assert exported.is_symlink() and (folder / "new.csv").read_text(encoding="utf-8-sig")


def test_d2_output_to_a_fifo_is_a_stream(run: Run, ledger: Path) -> None:
    import threading

    fifo = ledger.parent / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("export", "--format", "json", "--output", str(fifo))
    reader.join(TIMEOUT)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a file"
    assert len(json.loads(received[0])) == 31


def test_d2_output_to_a_character_device_is_a_stream(run: Run, ledger: Path) -> None:
    device = ledger.parent / "null"
    try:  # a /dev/null of the test's own: the real one is never put at risk
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        device.open("wb").close()
    except OSError:
        pytest.skip("cannot make or open a device node here")
    result = run("report", "--output", str(device))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.lstat().st_mode), "the device was replaced by a file"
    result = run("export", "--format", "xlsx", "--output", str(device))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_d2_output_dash_is_stdout(run: Run, ledger: Path) -> None:
    result = run("report", "--format", "json", "--output", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 31
    assert not (ledger.parent / "-").exists()
    result = run("export", "--format", "csv", "--output", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip("\ufeff").startswith("id,title")
    assert not (ledger.parent / "-").exists()


def test_d2_output_to_a_folder_is_refused(run: Run, ledger: Path) -> None:
    folder = ledger.parent / "folder"
    folder.mkdir()
    result = run("report", "--output", str(folder))
    assert result.exit_code == 1
    _no_traceback(result)
    assert folder.is_dir()


def test_d2_regular_output_replaced_atomically_keeping_its_mode(ledger: Path) -> None:
    out = ledger.parent / "out.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    store.write_output(out, b"new")
    assert out.read_bytes() == b"new" and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_d2_every_output_call_site_uses_write_output() -> None:
    source = (Path(store.__file__).parent.parent / "cli" / "report_commands.py").read_text("utf-8")
    assert "write_output" in source
    assert "write_text(" not in source and "write_bytes(" not in source


# D3: every write read back --------------------------------------------------------------


def _set_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.fixture
def restore_zone() -> Iterator[None]:
    yield
    time.tzset()


@pytest.mark.parametrize("zone", ["ABC-08:05:43", "Africa/Monrovia"])
def test_d3_offsets_with_seconds_are_written_as_toml_allows(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch, restore_zone: None, zone: str
) -> None:
    import importlib

    app_module = importlib.import_module("measures.writes")

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return datetime(1970, 6, 1, 12, 0, 0) if tz is None else super().now(tz)

    _set_zone(monkeypatch, zone)
    monkeypatch.setattr(app_module, "datetime", Clock)
    for command in (("note", "1", "hi"), ("start", "4"), ("done", "5", "--on", "2020-12-01")):
        result = run(*command)
        assert result.exit_code == 0, result.output
        _no_traceback(result)
    ledger_now = _valid(ledger)
    entry = ledger_now.get(1).log[-1]
    assert entry.note == "hi"
    offset = entry.at.utcoffset()
    assert offset is not None and offset.total_seconds() % 60 == 0
    # Written in UTC: the same instant as the local clock said.
    assert entry.at == datetime(1970, 6, 1, 12, 0, 0).astimezone()
    assert run("check").exit_code == 0


def test_d3_tomledit_writes_an_offset_with_seconds_in_utc() -> None:
    from datetime import timedelta, timezone

    from measures.domain.changes import add_note
    from measures.ledger.tomledit import apply_changes

    text = SHIPPED.read_text(encoding="utf-8")
    old = parse_ledger(text, "x")
    zone = timezone(-timedelta(minutes=44, seconds=30))
    at = datetime(1970, 6, 1, 12, 0, 0, tzinfo=zone)
    new = old.replace(add_note(old.get(1), "n", "me", at))
    written = apply_changes(text, old, new)
    assert parse_ledger(written, "x") == new
    assert "1970-06-01T12:44:30" in written


# Record 2's string holds two lines that look like headers, the first followed by a
# copy of record 1: a scan that takes them for headers finds as many as there are
# records, and edits the string for `done 1`.
QUOTED_WITH_STRING = (
    PLAN_HEADER
    + '\n[["measures"]]\nid = 1\ntitle = "一"\ndeadline = 2020-12-31\nstatus = "todo"\n'
    + '\n[["measures"]]\nid = 2\ntitle = "二"\ndeadline = 2020-12-31\nstatus = "todo"\n'
    + 'source = """\n[[measures]]\nid = 1\ntitle = "一"\ndeadline = 2020-12-31\n'
    + 'status = "todo"\n[[measures]]\nid = 2\n"""\n'
)


def test_d3_done_on_quoted_headers_with_a_header_line_in_a_string(
    run: Run, write_ledger: WriteLedger
) -> None:
    path = write_ledger(QUOTED_WITH_STRING)
    result = run("done", "1", "--on", "2020-12-01")
    if result.exit_code == 0:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        first, second = data["measures"]
        assert first["status"] == "done", "reported done, but the file says otherwise"
        assert second == tomllib.loads(QUOTED_WITH_STRING)["measures"][1], "the string was edited"
    else:  # a refusal is allowed, if it is clean
        _no_traceback(result)
        assert path.read_text(encoding="utf-8") == QUOTED_WITH_STRING
    # What the next command says agrees with the file, read afresh.
    shutil.rmtree(path.parent.parent / "cache", ignore_errors=True)
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert shown["status"] == tomllib.loads(path.read_text("utf-8"))["measures"][0]["status"]


def test_d3_write_that_would_not_read_back_is_refused(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from measures.ledger import tomledit

    def not_followed(*args: object) -> None:
        raise tomledit._LayoutNotFollowed

    monkeypatch.setattr(tomledit, "_apply_by_block", not_followed)
    monkeypatch.setattr(tomledit, "_apply_to_document", lambda text, old, new: text + "\n= broken")
    before = ledger.read_bytes()
    result = run("note", "1", "hi")
    assert result.exit_code == 1
    _no_traceback(result)
    assert "nothing was changed" in result.stderr and str(ledger) in result.stderr
    assert ledger.read_bytes() == before
    assert not (ledger.parent / ".measures" / "measures.toml.undo").exists()


def test_d3_reads_as_compares_the_written_records() -> None:
    from measures.domain.changes import add_note
    from measures.ledger.tomledit import reads_as

    text = SHIPPED.read_text(encoding="utf-8")
    old = parse_ledger(text, "x")
    new = old.replace(add_note(old.get(3), "n", "me", datetime.now().astimezone()))
    assert reads_as(text, old, range(31))
    assert not reads_as(text, new, [2])  # the note is not in the text
    assert not reads_as(text + "\n= x", old, [])
    assert not reads_as(text.replace("id = 5\n", "id = 50\n", 1), old, [])


# D4: line separators in the journal -----------------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x1c", "\x0c"])
def test_d4_line_separators_in_a_note_keep_the_undo_history(
    run: Run, ledger: Path, separator: str
) -> None:
    # The second note's journal entry holds the text it replaced: the first note.
    assert run("note", "1", f"a{separator}b").exit_code == 0
    assert run("note", "1", "again").exit_code == 0
    # A set records the new title in the change's own words, too.
    assert run("set", "2", "--title", f"c{separator}d").exit_code == 0
    assert run("note", "3", "last").exit_code == 0
    assert (
        len(
            journal.loads(
                (ledger.parent / ".measures" / "measures.toml.undo").read_text("utf-8"), "j"
            )
        )
        == 4
    )
    for left in (3, 2, 1, 0):
        result = run("undo")
        assert result.exit_code == 0, result.output
        assert f"{left} earlier change" in result.stderr
    assert ledger.read_bytes() == SHIPPED.read_bytes()


# D5: a damaged journal ------------------------------------------------------------------

DAMAGED = [
    '{"summary": "x", "before_sha256": "a", "after_sha256": "b", "edits": [[1e400, 0, ""]]}\n',
    '[[1e400,0,""]]\n',
    "[" * 100_000 + "]" * 100_000 + "\n",
    '{"summary": ' + "[" * 5000 + "]" * 5000 + "}\n",
    "\ufffe not json\n",
]


@pytest.mark.parametrize("damage", DAMAGED, ids=["inf", "list", "nested", "nested-key", "text"])
def test_d5_damaged_journal_is_set_aside_and_the_write_reported(
    run: Run, ledger: Path, damage: str
) -> None:
    undo = ledger.parent / ".measures" / "measures.toml.undo"
    undo.parent.mkdir()
    undo.write_text(damage, encoding="utf-8")
    result = run("note", "1", "once")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "Noted on 1" in result.stderr
    assert "Warning" in result.stderr and "measures.toml.undo.damaged" in result.stderr
    assert sum(e.note == "once" for e in _valid(ledger).get(1).log) == 1
    aside = undo.with_name("measures.toml.undo.damaged")
    assert aside.read_text(encoding="utf-8") == damage
    assert len(journal.loads(undo.read_text(encoding="utf-8"), "j")) == 1
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert ledger.read_bytes() == SHIPPED.read_bytes()


@pytest.mark.parametrize("damage", DAMAGED, ids=["inf", "list", "nested", "nested-key", "text"])
def test_d5_undo_on_a_damaged_journal_is_a_clear_error(run: Run, ledger: Path, damage: str) -> None:
    undo = ledger.parent / ".measures" / "measures.toml.undo"
    undo.parent.mkdir()
    undo.write_text(damage, encoding="utf-8")
    result = run("undo")
    assert result.exit_code == 1
    _no_traceback(result)
    assert "undo journal cannot be read" in result.stderr
    assert ledger.read_bytes() == SHIPPED.read_bytes()


# D6: undo with the state folder unwritable -----------------------------------------------


def test_d6_undo_that_cannot_rewrite_its_journal_changes_nothing(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", "1", "first").exit_code == 0
    assert run("note", "2", "second").exit_code == 0
    written = ledger.read_bytes()
    real_write = store.write_bytes

    def unwritable_state(path: Path, data: bytes, mode: int | None = None) -> None:
        if path.parent.name == ".measures":
            raise store._write_failed(path, PermissionError(13, "Permission denied"))
        real_write(path, data, mode)

    monkeypatch.setattr(store, "write_bytes", unwritable_state)
    result = run("undo")
    assert result.exit_code == 1
    _no_traceback(result)
    assert "nothing was changed" in result.stderr
    assert ledger.read_bytes() == written, "undo said nothing changed, but it changed the ledger"
    monkeypatch.setattr(store, "write_bytes", real_write)
    # Once the folder is writable again, undo goes on where it was.
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert "Undone: note 2" in result.stderr
    assert run("undo").exit_code == 0
    assert ledger.read_bytes() == SHIPPED.read_bytes()


def test_d6_undo_whose_ledger_write_fails_keeps_the_journal(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", "1", "first").exit_code == 0
    written = ledger.read_bytes()
    undo = ledger.parent / ".measures" / "measures.toml.undo"
    recorded = undo.read_bytes()
    real_write = store.write_bytes

    def unwritable_ledger(path: Path, data: bytes, mode: int | None = None) -> None:
        if path.name == "measures.toml":
            raise store._write_failed(path, OSError(28, "No space left on device"))
        real_write(path, data, mode)

    monkeypatch.setattr(store, "write_bytes", unwritable_ledger)
    result = run("undo")
    assert result.exit_code == 1 and "nothing was changed" in result.stderr
    assert ledger.read_bytes() == written and undo.read_bytes() == recorded
    monkeypatch.setattr(store, "write_bytes", real_write)
    assert run("undo").exit_code == 0
    assert ledger.read_bytes() == SHIPPED.read_bytes()


def test_d6_undo_with_a_read_only_state_folder_as_a_plain_user() -> None:
    """The real thing: `.measures/` without write permission, for a user it applies to."""
    import tempfile

    if os.geteuid() != 0:
        user_prefix: list[str] = []
    elif shutil.which("setpriv"):
        user_prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        pytest.skip("needs a plain user")
    # A folder of its own that the plain user can reach (pytest's are its owner's alone).
    work = Path(tempfile.mkdtemp(prefix="measures-d6-"))
    try:
        work.chmod(0o777)
        ledger = work / "measures.toml"
        shutil.copyfile(SHIPPED, ledger)
        ledger.chmod(0o666)
        env = {"XDG_CACHE_HOME": str(work / "cache")}

        def measures(*args: str) -> subprocess.CompletedProcess[str]:
            return run_measures(args, prefix=user_prefix, cwd=work, extra=env, timeout=TIMEOUT)

        probe = run_python(
            ["-c", "import measures.cli"], prefix=user_prefix, cwd=work, extra=env, timeout=TIMEOUT
        )
        if probe.returncode != 0:
            reason = probe.stderr.strip()[-200:]
            pytest.skip(f"the plain user cannot import measures here: {reason}")
        first = measures("note", "1", "first")
        if first.returncode != 0 and "no ledger found" in first.stderr:
            pytest.skip("the plain user cannot reach a temporary folder")
        assert first.returncode == 0, first.stderr
        state = work / ".measures"
        written = ledger.read_bytes()
        state.chmod(0o555)
        try:
            result = measures("undo")
            assert result.returncode == 1, result.stderr
            assert "Traceback" not in result.stderr and "nothing was changed" in result.stderr
            assert ledger.read_bytes() == written, "undo said nothing changed, but it did"
            again = measures("undo")
            assert again.returncode == 1 and ledger.read_bytes() == written
        finally:
            state.chmod(0o777)
        result = measures("undo")
        assert result.returncode == 0, result.stderr
        assert ledger.read_bytes() == SHIPPED.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


# S3: the snapshot cache reads only regular files ------------------------------------------


def _snapshot_path(ledger: Path, cache: Path) -> Path:
    where = snapshot.snapshot_file(ledger, {"XDG_CACHE_HOME": str(cache)})
    assert where is not None
    return Path(where)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_s3_a_fifo_or_device_at_the_snapshot_path_is_ignored(ledger: Path, kind: str) -> None:
    cache = ledger.parent / "cache"
    kept = _snapshot_path(ledger, cache)
    kept.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(kept)
    else:
        kept.symlink_to("/dev/zero")
    env = {"XDG_CACHE_HOME": str(cache)}
    for command in (["list"], ["list", "--format", "json"], ["report"], ["show", "1"], ["check"]):
        result = _process("-m", "measures", *command, cwd=ledger.parent, env=env, timeout=20)
        assert result.returncode == 0, result.stderr
    result = _process("-m", "measures", "done", "2", cwd=ledger.parent, env=env, timeout=20)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(Path("/dev/zero").stat().st_mode)
    # The quick path after the write: still answers, from the file or a snapshot of its own.
    result = _process("-m", "measures", "list", cwd=ledger.parent, env=env, timeout=20)
    assert result.returncode == 0 and "done" in result.stdout


def test_s3_snapshot_reads_check_what_the_path_is(ledger: Path) -> None:
    raw = ledger.read_bytes()
    loaded = store.read_ledger(ledger)  # keeps a snapshot
    assert snapshot.load(ledger, raw) == loaded.ledger
    kept = Path(snapshot.snapshot_file(ledger) or "")
    body = kept.read_bytes()
    # Too big for a snapshot of this ledger: ignored, whatever it holds.
    kept.write_bytes(body + b" " * (5 * len(raw) + (1 << 20)))
    assert snapshot.load(ledger, raw) is None
    # A link, even to a good snapshot, is not followed.
    good = kept.with_name("good.json")
    good.write_bytes(body)
    kept.unlink()
    kept.symlink_to(good)
    assert snapshot.load(ledger, raw) is None
    # Writing one replaces the link, never what it points at.
    snapshot.save(ledger, raw, loaded.ledger)
    assert not kept.is_symlink() and good.read_bytes() == body


@pytest.mark.slow
def test_s3_a_fifo_ledger_does_not_hang(isolated: Path) -> None:
    fifo = isolated / "measures.toml"
    os.mkfifo(fifo)
    for command in (["list"], ["check"], ["done", "1"], ["undo"], ["--file", str(fifo), "list"]):
        result = _process("-m", "measures", *command, cwd=isolated, timeout=20)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "not a regular file" in result.stderr
    code = (
        "import sys; from pathlib import Path; from measures.ledger import store\n"
        "try:\n    store.read_ledger(Path(sys.argv[1]))\n"
        "except store.InvalidLedger as error:\n    print(error)\n"
    )
    result = _process("-c", code, str(fifo), cwd=isolated, timeout=20)
    assert "not a regular file" in result.stdout, result.stderr


# S4: links inside .measures/ -----------------------------------------------------------


@pytest.mark.parametrize("name", [".gitignore", "measures.toml.lock", "measures.toml.undo"])
def test_s4_a_link_in_the_state_folder_is_refused(run: Run, ledger: Path, name: str) -> None:
    state = ledger.parent / ".measures"
    state.mkdir()
    outside = ledger.parent.parent / f"outside-{name}"
    (state / name).symlink_to(outside)  # dangling
    for command in (("note", "1", "x"), ("undo",)):
        result = run(*command)
        assert result.exit_code == 1
        _no_traceback(result)
        assert str(state / name) in result.stderr and "symbolic link" in result.stderr
    assert not outside.exists(), "a file was created through the link"
    assert ledger.read_bytes() == SHIPPED.read_bytes()


def test_s4_a_linked_state_folder_is_refused(run: Run, ledger: Path) -> None:
    elsewhere = ledger.parent.parent / "elsewhere"
    elsewhere.mkdir()
    (ledger.parent / ".measures").symlink_to(elsewhere)
    result = run("done", "2")
    assert result.exit_code == 1
    _no_traceback(result)
    assert ".measures" in result.stderr and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert ledger.read_bytes() == SHIPPED.read_bytes()


# T5: nesting and long numbers -----------------------------------------------------------

NESTED = PLAN_HEADER + measure_block(1) + "partners = " + "[" * 1000 + "]" * 1000 + "\n"
LONG_NUMBER = PLAN_HEADER + measure_block(1).replace("id = 1", "id = " + "7" * 4301)
NESTED_TABLES = PLAN_HEADER + "x = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n"
COMMANDS = [
    ("list",),
    ("list", "--format", "json"),
    ("show", "1"),
    ("log",),
    ("report",),
    ("check",),
    ("done", "1"),
    ("note", "1", "x"),
    ("add", "--title", "t", "--owner", "o", "--deadline", "2021-01-01"),
    ("undo",),
    ("export", "--format", "csv", "--output", "out.csv"),
]


@pytest.mark.parametrize(
    "text", [NESTED, LONG_NUMBER, NESTED_TABLES], ids=["arrays", "int", "tables"]
)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_t5_deep_nesting_and_long_integers_are_clear_errors(
    run: Run, write_ledger: WriteLedger, text: str, command: tuple[str, ...]
) -> None:
    path = write_ledger(text)
    result = run(*command)
    _no_traceback(result)
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == text
    if command[0] not in ("undo",):
        assert "nested too deep" in result.output or "4,300 digits" in result.output


@pytest.mark.parametrize(
    "text", [NESTED, LONG_NUMBER, NESTED_TABLES], ids=["arrays", "int", "tables"]
)
def test_t5_merge_driver_parse_is_a_clear_error(text: str) -> None:
    from measures.domain.merge import merge_texts

    good = SHIPPED.read_text(encoding="utf-8")
    with pytest.raises(InvalidLedger):
        merge_texts(good, good, text)
    with pytest.raises(InvalidLedger):
        parse_ledger(text, "x")


# T9 and W1: quoted headers ------------------------------------------------------------------


def test_t9_add_on_quoted_headers_without_a_final_newline(
    run: Run, write_ledger: WriteLedger
) -> None:
    text = _quoted(3).rstrip("\n")
    path = write_ledger(text)
    result = run("add", "--title", "新", "--owner", "区", "--deadline", "2021-06-30")
    assert result.exit_code == 0, result.output
    _no_traceback(result)
    new = path.read_text(encoding="utf-8")
    assert new.startswith(text + "\n")
    assert [m.id for m in _valid(path).measures] == [1, 2, 3, 4]


def test_w1_note_on_quoted_headers_touches_one_record(run: Run, write_ledger: WriteLedger) -> None:
    text = _quoted(30)
    path = write_ledger(text)
    result = run("note", "7", "进展")
    assert result.exit_code == 0, result.output
    new = path.read_text(encoding="utf-8")
    assert new.count('[["measures"]]') == 30
    assert new.count("[[measures.log]]") >= 29
    seventh, eighth = text.index("\nid = 7\n"), text.index("\nid = 8\n")
    head = text[: text.rindex("\n", 0, eighth)]  # up to record 8's header
    assert new.startswith(text[:seventh])
    assert new.endswith(text[len(head) :])
    assert _valid(path).get(7).log[-1].note == "进展"


def test_w1_header_spellings_are_found() -> None:
    from measures.model.headers import record_starts

    text = (
        PLAN_HEADER
        + '[["measures"]]\nid = 1\n'
        + "[[ 'measures' ]]  # a comment\nid = 2\n"
        + '[[measures]]\nid = 3\nsource = """\n[[measures]]\n"""\n'
        + 'partners = [\n[["measures"]],\n]\n'
        + "note = '''\n[['measures']]'''\n"
        + "[[\tmeasures ]]\nid = 4\n"
    )
    found = [text[start : text.index("\n", start)] for start in record_starts(text)]
    assert found == [
        '[["measures"]]',
        "[[ 'measures' ]]  # a comment",
        "[[measures]]",
        "[[\tmeasures ]]",
    ]


# W2: an empty .gitignore ---------------------------------------------------------------------


@pytest.mark.parametrize("left", ["", "# The write lock"])
def test_w2_a_cut_short_gitignore_is_repaired(run: Run, ledger: Path, left: str) -> None:
    ignore = ledger.parent / ".measures" / ".gitignore"
    ignore.parent.mkdir()
    ignore.write_text(left, encoding="utf-8")
    assert run("note", "1", "x").exit_code == 0
    assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_w2_a_gitignore_edited_by_hand_is_kept(run: Run, ledger: Path) -> None:
    ignore = ledger.parent / ".measures" / ".gitignore"
    ignore.parent.mkdir()
    ignore.write_text("*\n!keep\n", encoding="utf-8")
    assert run("note", "1", "x").exit_code == 0
    assert ignore.read_text(encoding="utf-8") == "*\n!keep\n"


def test_w2_a_gitignore_that_is_not_a_file_is_left_alone(ledger: Path) -> None:
    state = ledger.parent / ".measures"
    state.mkdir()
    os.mkfifo(state / ".gitignore")
    result = _process("-m", "measures", "note", "1", "x", cwd=ledger.parent, timeout=20)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO((state / ".gitignore").lstat().st_mode)


# W7: a bounded summary of a big change --------------------------------------------------------


def test_w7_undo_after_a_big_import_prints_a_short_line(
    run: Run, write_ledger: WriteLedger, isolated: Path
) -> None:
    write_ledger(PLAN_HEADER)
    rows = ["id,title,title_en,owner,partners,deadline,status,done_on,source"]
    rows += [f"{i},举措{i},,区局,,2021-06-30,todo,," for i in range(1, 2001)]
    (isolated / "rows.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("import", "rows.csv")
    assert result.exit_code == 0, result.output
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert len(result.stderr) < 400, result.stderr
    assert "2000" in result.stderr and "1–2000" in result.stderr


def test_w7_describe_change_is_bounded() -> None:
    from measures.domain.changes import add_note
    from measures.domain.history import describe_change

    old = parse_ledger(SHIPPED.read_text(encoding="utf-8"), "x")
    at = datetime.now().astimezone()
    new = old
    for ident in [*range(1, 26), 28, 30]:
        new = new.replace(add_note(new.get(ident), "n", "me", at))
    words = describe_change(old, new)
    assert words == "note 27 measures (ids 1–25, 28, 30)"
    one = describe_change(old, old.replace(add_note(old.get(3), "n", "me", at)))
    assert one == "note 3"
    from measures.domain.history import SUMMARY_LIMIT, describe_recorded

    assert len(describe_recorded({"words": "x" * 100_000})) == SUMMARY_LIMIT


# Duplicate ids ---------------------------------------------------------------------------------


def test_duplicate_id_error_names_the_line_of_the_second_record(
    run: Run, write_ledger: WriteLedger
) -> None:
    write_ledger(PLAN_HEADER + measure_block(1) + measure_block(2) + measure_block(1, title="又"))
    for command in (("list",), ("done", "2"), ("report",)):
        result = run(*command)
        assert result.exit_code == 1
        assert "measure 1 (line 20)" in result.stderr and "duplicate id 1" in result.stderr
    checked = run("check")
    assert "measure 1 (line 20)" in checked.stdout
