"""Every test works on a temporary copy; none can reach the shipped ledger."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from measures.cli import app
from measures.i18n import set_language

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "measures.toml"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session", autouse=True)
def shipped_ledger_untouched() -> Iterator[None]:
    before = _digest(SHIPPED)
    files = sorted(SHIPPED.parent.rglob("*"))
    yield
    assert _digest(SHIPPED) == before, "a test wrote into data/measures.toml"
    assert sorted(SHIPPED.parent.rglob("*")) == files, "a test left files in data/"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run each test in an empty temporary folder with no ledger named by the environment.

    The locale is plain English (a subprocess reads it), and so is the language of
    this process, whatever an earlier test chose with --lang.
    """
    monkeypatch.delenv("MEASURES_FILE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    set_language("en")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    # Snapshots go to a cache folder of the test's own, never the user's.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def ledger(isolated: Path) -> Path:
    """A copy of the shipped ledger, as measures.toml in the test's folder."""
    copy = isolated / "measures.toml"
    shutil.copyfile(SHIPPED, copy)
    return copy


@pytest.fixture
def write_ledger(isolated: Path):  # type: ignore[no-untyped-def]
    """Write a ledger from TOML text into the test's folder and return its path."""

    def write(text: str, name: str = "measures.toml") -> Path:
        path = isolated / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


class Run:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, list(args))


@pytest.fixture
def run() -> Run:
    """Invoke the real command line in-process: run("list", "--format", "json")."""
    return Run()


PLAN_HEADER = """[plan]
name = "测试方案"
issued = 2020-11-06
declared = 3
"""


def measure_block(
    ident: int,
    title: str = "举措",
    status: str = "todo",
    deadline: str = "2020-12-31",
    owner: str = "区政务服务局",
    extra: str = "",
) -> str:
    return (
        f'\n[[measures]]\nid = {ident}\ntitle = "{title}"\nowner = "{owner}"\n'
        f'deadline = {deadline}\nstatus = "{status}"\n{extra}'
    )


def measures_process(*args: str, lang: str, **extra: str):  # type: ignore[no-untyped-def]
    """Run `python -m measures ARGS` in a fresh process under LANG=`lang` (and `extra`)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(LANG=lang, COLUMNS="100", **extra)
    return subprocess.run(
        [sys.executable, "-m", "measures", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
