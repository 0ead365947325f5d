"""Every test works on a temporary copy; none can reach the shipped ledger.

The helpers here run the command line: `run` in-process, through one click
command built once per session (typer's CliRunner would build it again on every
call), and `measures_process` as a fresh `python -m measures` process.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pytest
import typer
from typer._click import Command as ClickCommand  # typer's vendored click
from typer.testing import CliRunner, Result

from measures.cli import every_command
from measures.i18n import set_language

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "measures.toml"
# A fresh process that takes longer than this hangs.
TIMEOUT = 120.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every property test (hypothesis) is slow, like the concurrency and kill tests."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session", autouse=True)
def shipped_ledger_untouched() -> Iterator[None]:
    before = _digest(SHIPPED)
    files = sorted(SHIPPED.parent.rglob("*"))
    yield
    assert _digest(SHIPPED) == before, "a test wrote into data/measures.toml"
    assert sorted(SHIPPED.parent.rglob("*")) == files, "a test left files in data/"


def _descriptors() -> list[tuple[int, int] | None]:
    """What standard input, output and error of this process are: (device, inode) each."""
    found: list[tuple[int, int] | None] = []
    for fd in (0, 1, 2):
        try:
            status = os.fstat(fd)
        except OSError:
            found.append(None)
        else:
            found.append((status.st_dev, status.st_ino))
    return found


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """No test replaces a file descriptor of the test process (dup2 over 0, 1 or 2, close).

    Checked as the test ends, inside pytest's capture (which would put its own
    descriptors back over whatever a test left), and again at the end of the session.
    """
    before = _descriptors()
    yield
    after = _descriptors()
    assert after == before, f"{item.nodeid} replaced fd 0, 1 or 2 of the test process"


@pytest.fixture(scope="session", autouse=True)
def standard_descriptors_kept() -> Iterator[None]:
    before = _descriptors()
    yield
    assert _descriptors() == before, "a test replaced fd 0, 1 or 2 of the test process"


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


class WriteLedger(Protocol):
    def __call__(self, text: str, name: str = "measures.toml") -> Path: ...


@pytest.fixture
def write_ledger(isolated: Path) -> WriteLedger:
    """Write a ledger from TOML text into the test's folder and return its path."""

    def write(text: str, name: str = "measures.toml") -> Path:
        path = isolated / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@functools.cache
def command() -> ClickCommand:
    """The click command of `app`, built once: it holds no state of one invocation."""
    return typer.main.get_command(every_command())


_RUNNER = CliRunner()


def invoke(
    args: Sequence[str],
    input: str | bytes | None = None,
    env: Mapping[str, str | None] | None = None,
    catch_exceptions: bool = True,
) -> Result:
    """What `CliRunner().invoke(app, args, ...)` does, on the command built once."""
    cli = command()
    return_value: Any = None
    exception: BaseException | None = None
    exit_code = 0
    exc_info: Any = None
    with _RUNNER.isolation(input=input, env=env) as (stdout, stderr, output):
        try:
            return_value = cli.main(args=list(args), prog_name=cli.name or "root")
        except SystemExit as stopped:
            exc_info = sys.exc_info()
            code: Any = stopped.code
            if code is None:
                code = 0
            if code != 0:
                exception = stopped
            if not isinstance(code, int):
                sys.stdout.write(f"{code}\n")
                code = 1
            exit_code = code
        except Exception as error:
            if not catch_exceptions:
                raise
            exception = error
            exit_code = 1
            exc_info = sys.exc_info()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            out, err, both = stdout.getvalue(), stderr.getvalue(), output.getvalue()
    return Result(
        runner=_RUNNER,
        stdout_bytes=out,
        stderr_bytes=err,
        output_bytes=both,
        return_value=return_value,
        exit_code=exit_code,
        exception=exception,
        exc_info=exc_info,
    )


class Run:
    """The real command line, in-process: run("list", "--format", "json")."""

    def __call__(self, *args: str) -> Result:
        return invoke(args)


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


def _environment(
    lang: str, base: Mapping[str, str] | None, extra: Mapping[str, str]
) -> dict[str, str]:
    """`base` (default: this process's environment) under LANG=`lang`, COLUMNS=100 and `extra`."""
    env = dict(os.environ if base is None else base)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    env.update(LANG=lang, COLUMNS="100")
    env.update(extra)
    return env


def _spawn(
    argv: Sequence[str | bytes],
    *,
    text: bool,
    cwd: Path | None,
    env: Mapping[str, str],
    timeout: float | None,
    preexec_fn: Callable[[], object] | None,
) -> subprocess.CompletedProcess[Any]:
    try:
        return subprocess.run(
            argv,
            capture_output=True,
            text=text,
            cwd=cwd,
            env=env,
            timeout=timeout,
            preexec_fn=preexec_fn,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{list(argv)} did not finish within {timeout} s (it hangs)")


def run_python(
    args: Sequence[str],
    *,
    lang: str = "C.UTF-8",
    extra: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = TIMEOUT,
    preexec_fn: Callable[[], object] | None = None,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in a fresh process; its output as text.

    The environment is `base` (default: this process's) with LANG=`lang`, COLUMNS=100
    and `extra`; `prefix` goes before the Python (`setpriv --reuid=...`, say);
    `preexec_fn` runs in the child (resource limits); a process still running after
    `timeout` seconds fails the test.
    """
    return _spawn(
        [*prefix, sys.executable, *args],
        text=True,
        cwd=cwd,
        env=_environment(lang, base, extra or {}),
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def run_measures(
    args: Sequence[str],
    *,
    lang: str = "C.UTF-8",
    extra: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = TIMEOUT,
    preexec_fn: Callable[[], object] | None = None,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """`python -m measures ARGS` in a fresh process, as `run_python` runs it."""
    return run_python(
        ["-m", "measures", *args],
        lang=lang,
        extra=extra,
        base=base,
        cwd=cwd,
        timeout=timeout,
        preexec_fn=preexec_fn,
        prefix=prefix,
    )


def measures_process(*args: str, lang: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m measures ARGS` in a fresh process under LANG=`lang` (and `extra`)."""
    return run_measures(args, lang=lang, extra=extra)


def measures_process_bytes(*args: bytes, **extra: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m measures ARGS` under LANG=C.UTF-8, the arguments given as bytes, as a
    shell hands them over."""
    return _spawn(
        [os.fsencode(sys.executable), b"-m", b"measures", *args],
        text=False,
        cwd=None,
        env=_environment("C.UTF-8", None, extra),
        timeout=TIMEOUT,
        preexec_fn=None,
    )


def import_probe(shown: str) -> str:
    """A `python -c` script that runs the launcher on its arguments and then prints, on
    stderr, `imported:` and the modules the expression `shown` names (of sys.modules)."""
    return (
        "import sys; sys.argv = ['measures', *sys.argv[1:]]\n"
        "from measures.launcher import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        f"    print('imported:', *({shown}), file=sys.stderr)\n"
    )


def generated_ledger(count: int) -> str:
    """A ledger of `count` measures as benchmarks/generate.py makes them."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.ledger_text(count)
    return text
