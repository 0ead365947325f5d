"""Real git repositories with two branches, merged with and without the merge driver."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from measures.domain.changes import add_measure, set_fields
from measures.domain.merge import MARK_OURS, MARK_THEIRS
from measures.errors import InvalidLedger
from measures.ledger.store import read_ledger, update_ledger
from measures.model.records import Action, Ledger, LogEntry, Status

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block
from .test_merge import resolve

CST = timezone(timedelta(hours=8))
AT = datetime(2020, 12, 20, 9, 30, tzinfo=CST)
# What git runs in these tests: the measures under test, in this Python.
DRIVER = f"{shlex.quote(sys.executable)} -m measures merge-driver %O %A %B"
LEDGER = "data/measures.toml"

START = (
    "# 台账: kept in git, edited by several offices\n"
    + PLAN_HEADER
    + measure_block(1, "一")
    + measure_block(2, "二", owner="区税务局")
    + measure_block(3, "三", owner="区财政局")
)


class Repo:
    """A git repository holding a ledger, with a `main` and a `theirs` branch."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ledger = root / LEDGER

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=False
        )
        if check and completed.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {completed.stdout}{completed.stderr}")
        return completed

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def change(self, branch: str, *changes: Callable[[Ledger], Ledger]) -> None:
        self.git("checkout", "-q", branch)
        for change in changes:
            update_ledger(self.ledger, change)
        self.commit(f"change on {branch}")

    def merge(self) -> subprocess.CompletedProcess[str]:
        self.git("checkout", "-q", "main")
        return self.git("merge", "--no-edit", "theirs", check=False)

    def unmerged(self) -> list[str]:
        return self.git("diff", "--name-only", "--diff-filter=U").stdout.split()

    def use_driver(self, run: Run) -> None:
        result = run("git-setup", "--file", str(self.ledger), "--command", DRIVER)
        assert result.exit_code == 0, result.stderr


@pytest.fixture
def repo(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A repository with the small ledger committed on main and a branch `theirs` from it."""
    # No user or system git settings (a conflict style, a default driver) may creep in.
    empty = isolated / "empty.gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = Repo(isolated / "office")
    repo.ledger.parent.mkdir(parents=True)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Test Office")
    repo.git("config", "user.email", "office@example.org")
    repo.ledger.write_text(START, encoding="utf-8")
    repo.commit("ledger")
    repo.git("branch", "theirs")
    return repo


def assert_line_merge_conflicts(repo: Repo) -> None:
    """Without the driver, git's own line merge of the same two branches conflicts."""
    merge = repo.merge()
    assert merge.returncode != 0
    assert f"CONFLICT (content): Merge conflict in {LEDGER}" in merge.stdout
    assert repo.unmerged() == [LEDGER]
    repo.git("merge", "--abort")
    assert repo.git("status", "--porcelain", "--untracked-files=no").stdout == ""


def assert_clean(merge: subprocess.CompletedProcess[str], repo: Repo) -> Ledger:
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert repo.unmerged() == []
    assert "<<<<<<<" not in repo.ledger.read_text(encoding="utf-8")
    # The merge is committed, and `measures check` finds no error in the ledger.
    assert repo.git("log", "-1", "--format=%P").stdout.count(" ") == 1
    check = subprocess.run(
        [sys.executable, "-m", "measures", "--file", str(repo.ledger), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    return read_ledger(repo.ledger).ledger


def setting(ident: int, at: datetime, **values: Any) -> Callable[[Ledger], Ledger]:
    def change(ledger: Ledger) -> Ledger:
        return ledger.replace(set_fields(ledger.get(ident), dict(values), "li", at))

    return change


def adding(ident: int, title: str) -> Callable[[Ledger], Ledger]:
    fields = {"id": ident, "title": title, "owner": "区发改委", "deadline": date(2021, 6, 30)}
    return lambda ledger: add_measure(ledger, fields, "li", AT)[0]


def noting(ident: int, note: str, at: datetime, by: str) -> Callable[[Ledger], Ledger]:
    """A progress note, as `measures note` appends it: a log entry and nothing else."""

    def change(ledger: Ledger) -> Ledger:
        measure = ledger.get(ident)
        entry = LogEntry(at=at, by=by, action=Action.NOTE, note=note)
        return ledger.replace(replace(measure, log=(*measure.log, entry)))

    return change


def test_neighbouring_measures_changed_on_each_side(repo: Repo, run: Run) -> None:
    # Ours: measure 3, the last record, is marked done with the real command line.
    repo.git("checkout", "-q", "main")
    result = run("--file", str(repo.ledger), "done", "3", "--on", "2020-12-20", "--by", "wang")
    assert result.exit_code == 0, result.stderr
    repo.commit("measure 3 done")
    # Theirs: measure 2 is re-assigned and measure 4 added right after measure 3.
    repo.change("theirs", setting(2, AT, owner="区发改委"), adding(4, "四"))

    assert_line_merge_conflicts(repo)
    repo.use_driver(run)
    ledger = assert_clean(repo.merge(), repo)

    assert [m.id for m in ledger.measures] == [1, 2, 3, 4]
    assert (ledger.get(3).status, ledger.get(3).done_on) == (Status.DONE, date(2020, 12, 20))
    assert ledger.get(2).owner == "区发改委"
    assert ledger.get(4).title == "四"
    assert ledger.get(1) == read_ledger_text(START).get(1)
    text = repo.ledger.read_text(encoding="utf-8")
    assert text.startswith("# 台账: kept in git, edited by several offices\n[plan]\n")


def test_different_fields_of_one_measure(repo: Repo, run: Run) -> None:
    repo.git("checkout", "-q", "main")
    result = run("--file", str(repo.ledger), "done", "2", "--on", "2020-12-20")
    assert result.exit_code == 0, result.stderr
    repo.commit("measure 2 done")
    repo.change("theirs", setting(2, AT, owner="区发改委", deadline=date(2021, 3, 31)))

    assert_line_merge_conflicts(repo)
    repo.use_driver(run)
    measure = assert_clean(repo.merge(), repo).get(2)

    assert (measure.status, measure.done_on) == (Status.DONE, date(2020, 12, 20))
    assert (measure.owner, measure.deadline) == ("区发改委", date(2021, 3, 31))
    assert sorted(entry.action for entry in measure.log) == [Action.DONE, Action.SET, Action.SET]


def test_the_same_field_changed_to_different_values(repo: Repo, run: Run) -> None:
    repo.use_driver(run)
    repo.change("main", setting(2, AT, owner="区发改委"))
    repo.change("theirs", setting(2, AT + timedelta(hours=1), owner="区商务局"))

    merge = repo.merge()

    assert merge.returncode != 0
    assert f"CONFLICT (content): Merge conflict in {LEDGER}" in merge.stdout
    assert repo.unmerged() == [LEDGER]
    assert 'measure 2, owner: ours "区发改委", theirs "区商务局" (was "区税务局")' in merge.stderr
    text = repo.ledger.read_text(encoding="utf-8")
    assert f'{MARK_OURS}owner = "区发改委"\n=======\nowner = "区商务局"\n{MARK_THEIRS}' in text
    # Not silently resolved: the ledger does not read until a person resolves it.
    with pytest.raises(InvalidLedger, match="invalid TOML"):
        read_ledger(repo.ledger)
    assert run("--file", str(repo.ledger), "list").exit_code == 1
    # Resolved by keeping theirs: both log entries stay, the merge can be committed.
    repo.ledger.write_text(resolve(text, "theirs"), encoding="utf-8")
    measure = read_ledger(repo.ledger).ledger.get(2)
    assert measure.owner == "区商务局"
    assert [entry.new for entry in measure.log] == ["区发改委", "区商务局"]
    repo.commit("merge theirs, keeping their owner for measure 2")
    assert repo.unmerged() == []


def test_notes_on_the_same_measure_on_both_sides(repo: Repo, run: Run) -> None:
    repo.change(
        "main",
        noting(2, "ours, first", AT, "wang"),
        noting(2, "ours, third", AT + timedelta(hours=2), "wang"),
    )
    repo.change("theirs", noting(2, "theirs, second", AT + timedelta(hours=1), "li"))

    assert_line_merge_conflicts(repo)
    repo.use_driver(run)
    measure = assert_clean(repo.merge(), repo).get(2)

    assert [entry.note for entry in measure.log] == ["ours, first", "theirs, second", "ours, third"]
    assert [entry.at for entry in measure.log] == sorted(entry.at for entry in measure.log)


def test_measures_added_on_both_sides_with_their_own_ids(repo: Repo, run: Run) -> None:
    repo.change("main", adding(4, "四"))
    repo.change("theirs", adding(5, "五"))

    assert_line_merge_conflicts(repo)
    repo.use_driver(run)
    ledger = assert_clean(repo.merge(), repo)

    assert [m.id for m in ledger.measures] == [1, 2, 3, 4, 5]


def test_a_measure_added_on_both_sides_with_the_same_id(repo: Repo, run: Run) -> None:
    repo.use_driver(run)
    repo.change("main", adding(4, "四"))
    repo.change("theirs", adding(4, "肆"))

    merge = repo.merge()

    assert merge.returncode != 0
    assert repo.unmerged() == [LEDGER]
    assert 'measure 4, title: ours "四", theirs "肆" (added on both sides)' in merge.stderr


def read_ledger_text(text: str) -> Ledger:
    from measures.model.parse import parse_ledger

    return parse_ledger(text, "start")


class TestGitSetup:
    def test_registers_the_driver_and_the_attribute(self, repo: Repo, run: Run) -> None:
        result = run("--file", str(repo.ledger), "git-setup")
        assert result.exit_code == 0, result.stderr
        config = repo.git("config", "--local", "merge.measures.driver").stdout.strip()
        assert config == DRIVER  # this Python, by its absolute path: works from any shell
        assert repo.git("config", "--local", "merge.measures.name").stdout.strip()
        assert (repo.root / ".gitattributes").read_text() == f"{LEDGER} merge=measures\n"
        assert (
            repo.git("check-attr", "merge", "--", LEDGER).stdout == f"{LEDGER}: merge: measures\n"
        )
        assert "commit it" in result.stderr

    def test_running_it_twice_adds_nothing(self, repo: Repo, run: Run) -> None:
        (repo.root / ".gitattributes").write_text("*.xlsx binary")  # no final newline
        assert run("--file", str(repo.ledger), "git-setup").exit_code == 0
        after_first = (repo.root / ".gitattributes").read_text()
        assert after_first == f"*.xlsx binary\n{LEDGER} merge=measures\n"
        config = (repo.root / ".git" / "config").read_text()

        result = run("--file", str(repo.ledger), "git-setup")

        assert result.exit_code == 0, result.stderr
        assert "already marked merge=measures" in result.stderr
        assert (repo.root / ".gitattributes").read_text() == after_first
        assert (repo.root / ".git" / "config").read_text() == config

    def test_finds_the_ledger_from_inside_the_repository(
        self, repo: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(repo.root / "data")
        assert run("git-setup", "--command", DRIVER).exit_code == 0
        assert repo.git("config", "merge.measures.driver").stdout.strip() == DRIVER

    def test_a_path_with_spaces_and_glob_characters(self, repo: Repo, run: Run) -> None:
        odd = repo.root / "台账 2020" / "[final] measures.toml"
        odd.parent.mkdir()
        odd.write_text(START, encoding="utf-8")
        other = repo.root / "台账 2020" / "f measures.toml"  # [final] must not match it
        other.write_text(START, encoding="utf-8")
        assert run("--file", str(odd), "git-setup").exit_code == 0
        check = repo.git("check-attr", "-z", "merge", "--", str(odd), str(other)).stdout
        assert check.split("\0")[2::3] == ["measures", "unspecified"]

    def test_outside_a_repository(self, write_ledger: WriteLedger, run: Run) -> None:
        path = write_ledger(START)
        result = run("--file", str(path), "git-setup")
        assert result.exit_code == 1
        assert "not a git repository" in result.stderr
        assert "git init" in result.stderr
        assert not (path.parent / ".gitattributes").exists()


class TestDriverCommand:
    """merge-driver run directly, as git runs it, on three files."""

    def files(self, tmp_path: Path, base: str, ours: str, theirs: str) -> list[str]:
        paths = []
        for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
            path = tmp_path / f".merge_file_{name}"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        return paths

    def test_clean(self, tmp_path: Path, run: Run) -> None:
        ours = START.replace('title = "一"', 'title = "一（修订）"')
        theirs = START.replace('title = "三"', 'title = "三（修订）"')
        base, mine, yours = self.files(tmp_path, START, ours, theirs)
        result = run("merge-driver", base, mine, yours)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        merged = Path(mine).read_text(encoding="utf-8")
        assert merged == ours.replace('title = "三"', 'title = "三（修订）"')
        assert Path(yours).read_text(encoding="utf-8") == theirs

    def test_conflict(self, tmp_path: Path, run: Run) -> None:
        ours = START.replace('title = "一"', 'title = "一甲"')
        theirs = START.replace('title = "一"', 'title = "一乙"')
        base, mine, yours = self.files(tmp_path, START, ours, theirs)
        result = run("merge-driver", base, mine, yours)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[:2] == [
            "measures: 1 conflict in the ledger, marked between <<<<<<< ours and >>>>>>> theirs:",
            '  measure 1, title: ours "一甲", theirs "一乙" (was "一")',
        ]
        assert "git add" in result.stderr
        assert MARK_OURS + 'title = "一甲"\n=======\ntitle = "一乙"\n' in Path(mine).read_text()

    def test_a_side_that_is_not_a_ledger_is_merged_line_by_line(
        self, tmp_path: Path, run: Run
    ) -> None:
        theirs = START.replace('title = "三"', 'title = "三"\ntitle = "重复"')
        base, mine, yours = self.files(tmp_path, START, START, theirs)
        result = run("merge-driver", base, mine, yours)
        assert result.exit_code == 1
        assert "their version: invalid TOML" in result.stderr
        assert "merging it line by line" in result.stderr
        assert "the line merge is not a valid ledger" in result.stderr
        # git's line merge took their change; git will show the file as conflicted.
        assert Path(mine).read_text(encoding="utf-8") == theirs

    def test_a_clean_line_merge_into_a_valid_ledger_is_accepted(
        self, tmp_path: Path, run: Run
    ) -> None:
        # A base that does not parse (both sides fixed it alike) leaves a line merge to try.
        broken = START.replace('status = "todo"', 'status = "todo', 1)
        ours = START.replace('title = "二"', 'title = "二（修订）"')
        base, mine, yours = self.files(tmp_path, broken, ours, START)
        result = run("merge-driver", base, mine, yours)
        assert "the common ancestor (base): invalid TOML" in result.stderr
        assert result.exit_code == 0
        assert Path(mine).read_text(encoding="utf-8") == ours

    def test_not_utf8(self, tmp_path: Path, run: Run) -> None:
        base, mine, yours = self.files(tmp_path, START, START, START)
        Path(yours).write_bytes(START.encode("gb18030"))
        result = run("merge-driver", base, mine, yours)
        assert "is not UTF-8 text; merging it line by line" in result.stderr
        assert result.exit_code == 1
