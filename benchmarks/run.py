"""Time whole `measures` processes beside `python -I -c pass` and Taskwarrior.

    python benchmarks/run.py                        # 31, 10,000 and 100,000 measures
    python benchmarks/run.py --sizes 31,10000 --runs 9
    python benchmarks/run.py --json > figures.json    # the table still goes to stderr
    python benchmarks/run.py --show figures.json --markdown

For each size: a ledger (31 is the shipped data/measures.toml; any other N is
made by generate.py), the same measures imported into a Taskwarrior database of
its own (import not timed), then each command is run as a separate process: one
warm-up run under /usr/bin/time -f %M for the peak memory, then timed runs (the
median is reported). Write commands (`done`, `note`, `task N done`) get a fresh
copy of their data before every run; the copy is not timed. Output goes to
/dev/null, COLUMNS=120.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import generate

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "measures.toml"
GNU_TIME = Path("/usr/bin/time")
OPEN = ("todo", "doing", "blocked")
NOTE_TEXT = "已召开推进会，按计划推进"


@dataclass
class Timing:
    """One command's figures at one size."""

    key: str  # what ratios call it: "list", "json", "task export", ...
    label: str
    argv: list[str]
    runs_ms: list[float] = field(default_factory=list)
    peak_mib: float | None = None
    problem: str = ""  # "timeout ...", "n/a: ...", "error: ..."; empty when it ran
    timed_out_after_s: float | None = None  # the timeout a run went past

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms and not self.problem else None


@dataclass
class Ratio:
    name: str
    value: float | None
    target: float | None
    bound: str = ""  # ">" when the numerator timed out: the value is a lower bound
    unit: str = "x"  # "x" for a ratio; "s" for a command's own seconds

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        if self.value is None:
            return "n/a"
        if self.bound == ">":
            return "MISS" if self.value > self.target else "n/a"
        return "PASS" if self.value <= self.target else "MISS"


@dataclass
class Outcome:
    wall_s: float
    maxrss_kib: int
    returncode: int | None  # None: killed at the timeout
    stderr: str


def run_once(argv: list[str], env: dict[str, str], timeout: float) -> Outcome:
    """Run one process to its end; wall time and its own peak RSS from wait4."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace")
    code = None if timed_out.is_set() else process.returncode
    return Outcome(wall, usage.ru_maxrss, code, message)


def peak_memory_kib(argv: list[str], env: dict[str, str], timeout: float) -> tuple[Outcome, int]:
    """One run under /usr/bin/time -f %M (the warm-up); falls back to wait4's figure."""
    if not GNU_TIME.exists():
        outcome = run_once(argv, env, timeout)
        return outcome, outcome.maxrss_kib
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        outcome = run_once([str(GNU_TIME), "-f", "%M", "-o", report.name, *argv], env, timeout)
        lines = [line for line in Path(report.name).read_text().splitlines() if line.strip()]
    kib = int(lines[-1]) if lines and lines[-1].strip().isdigit() else outcome.maxrss_kib
    return outcome, kib


@dataclass
class Job:
    """A command to time, with what must be done (untimed) before each run."""

    timing: Timing
    env: dict[str, str]
    prepare: Callable[[], None] | None = None
    spent: float = 0.0


def measure(jobs: list[Job], runs: int, timeout: float, budget: float) -> None:
    """Warm each command up (its peak memory), then time them in rounds.

    A round runs every command once, so a slow spell of the machine touches all
    of them alike rather than one command's every run. A command leaves the
    rounds after `runs` runs, or once `budget` seconds are spent on it (after at
    least one timed run), or at its first failure.
    """
    for job in jobs:
        timing = job.timing
        if timing.problem:
            continue
        progress(f"  {timing.label}: warm-up ...")
        if job.prepare:
            job.prepare()
        warm, kib = peak_memory_kib(timing.argv, job.env, timeout)
        if warm.returncode is None:
            timing.problem, timing.timed_out_after_s = f"timeout (> {timeout:g} s)", timeout
        elif warm.returncode != 0:
            first = (warm.stderr.strip().splitlines() or [f"exit {warm.returncode}"])[0]
            timing.problem = f"error: {first}"
        else:
            timing.peak_mib = kib / 1024
        progress(f" {timing.problem or f'{warm.wall_s * 1000:.0f} ms'}\n")
    for round_number in range(1, runs + 1):
        active = [
            job
            for job in jobs
            if not job.timing.problem
            and len(job.timing.runs_ms) < runs
            and not (job.timing.runs_ms and job.spent >= budget)
        ]
        if not active:
            break
        progress(f"  round {round_number}: {len(active)} commands\n")
        for job in active:
            if job.prepare:
                job.prepare()
            outcome = run_once(job.timing.argv, job.env, timeout)
            if outcome.returncode is None:
                job.timing.problem = f"timeout (> {timeout:g} s)"
                job.timing.timed_out_after_s = timeout
            elif outcome.returncode != 0:
                job.timing.problem = f"error: exit {outcome.returncode}"
            else:
                job.timing.runs_ms.append(outcome.wall_s * 1000)
                job.spent += outcome.wall_s
    for job in jobs:
        timing = job.timing
        shown = f"{timing.median_ms:.0f} ms" if timing.median_ms is not None else timing.problem
        progress(f"  {timing.label}: {shown} ({len(timing.runs_ms)} runs)\n")


def progress(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def default_runs(size: int) -> int:
    if size <= 1000:
        return 21
    if size <= 20000:
        return 7
    return 3


@dataclass
class Setup:
    """The files one size is measured on."""

    size: int
    ledger: Path
    ledger_copy: Path  # what write commands change; a fresh copy before each run
    measure_id: int  # an open measure, for `done` and `note`
    task_rc: Path | None = None
    task_data: Path | None = None
    task_rc_write: Path | None = None
    task_data_write: Path | None = None  # a fresh copy of task_data before each write
    task_id: str | None = None


def prepare_size(size: int, work: Path, task: str | None) -> Setup:
    folder = work / str(size)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ledger = folder / "ledger.toml"
    if SHIPPED.exists() and _count(SHIPPED) == size:
        shutil.copyfile(SHIPPED, ledger)
        progress(f"[{size}] the shipped ledger {SHIPPED.relative_to(REPO)}\n")
    else:
        ledger.write_text(generate.ledger_text(size), encoding="utf-8")
        progress(f"[{size}] generated {ledger} ({ledger.stat().st_size / 2**20:.1f} MiB)\n")
    data = tomllib.loads(ledger.read_text(encoding="utf-8"))
    first_open = next(m for m in data["measures"] if m["status"] in OPEN)
    setup = Setup(size, ledger, folder / "copy" / "measures.toml", first_open["id"])
    setup.ledger_copy.parent.mkdir()
    if task is not None:
        import_tasks(setup, data, folder, task)
    os.sync()
    return setup


def import_tasks(setup: Setup, data: dict[str, Any], folder: Path, task: str) -> None:
    """The same measures as a Taskwarrior database of their own (not timed)."""
    started = time.perf_counter()
    tasks = folder / "tasks.json"
    tasks.write_text(generate.tasks_json(generate.ledger_to_tasks(data)), encoding="utf-8")
    setup.task_rc, setup.task_data = folder / "taskrc", folder / "task-data"
    setup.task_rc_write, setup.task_data_write = folder / "taskrc-write", folder / "task-data-write"
    for rc, location in (
        (setup.task_rc, setup.task_data),
        (setup.task_rc_write, setup.task_data_write),
    ):
        settings = (
            f"data.location={location}",
            "confirmation=off",  # no prompts
            "verbose=nothing",  # no headers, footnotes or news
            "defaultwidth=120",  # as COLUMNS=120 for measures
            "news.version=2.6.2",
        )
        rc.write_text("\n".join(settings) + "\n", encoding="utf-8")
    env = {**base_env(), "TASKRC": str(setup.task_rc)}
    setup.task_data.mkdir()
    subprocess.run([task, "import", str(tasks)], env=env, check=True, capture_output=True)
    first_open = next(m for m in data["measures"] if m["status"] in OPEN)
    uuid = generate.task_uuid(first_open["id"])
    found = subprocess.run(
        [task, "_get", f"{uuid}.id"], env=env, check=True, capture_output=True, text=True
    )
    setup.task_id = found.stdout.strip()
    progress(f"[{setup.size}] Taskwarrior import: {time.perf_counter() - started:.1f} s\n")


def _count(path: Path) -> int:
    return len(tomllib.loads(path.read_text(encoding="utf-8")).get("measures", []))


def base_env() -> dict[str, str]:
    """The environment for every command: this one less what would change its behaviour.

    PYTHON* settings go (PYTHONDONTWRITEBYTECODE, say, would make every run
    compile the package's modules anew), as do ledger and Taskwarrior settings.
    """
    dropped = ("MEASURES_FILE", "TASKRC", "TASKDATA")
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("PYTHON")}
    env["COLUMNS"] = "120"
    return env


def command_exists(measures: str, name: str) -> bool:
    found = subprocess.run(
        [measures, name, "--help"], env=base_env(), capture_output=True, check=False
    )
    return found.returncode == 0


def bench_size(setup: Setup, args: argparse.Namespace, task: str | None) -> list[Timing]:
    from measures.ledger.snapshot import snapshot_file

    # Snapshots go to a cache folder of the benchmark's own, not the user's.
    env = {**base_env(), "XDG_CACHE_HOME": str(args.workdir / "cache")}
    measures = args.measures
    ledger, copy, ident = str(setup.ledger), str(setup.ledger_copy), str(setup.measure_id)
    kept_at, copy_at = snapshot_file(setup.ledger, env), snapshot_file(setup.ledger_copy, env)
    assert kept_at is not None and copy_at is not None
    kept, kept_copy = Path(kept_at), Path(copy_at)

    # The ledger is read once, untimed, before anything else: from then on it has
    # the validated snapshot any earlier command leaves, as in an office running
    # commands one after another, and `list` and `report` take the quick path.
    subprocess.run(
        [measures, "-f", ledger, "list", "--format", "json"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    # A first read: no snapshot of these bytes yet, as after an edit by hand or a
    # `git pull`. It parses the TOML and leaves the snapshot again.
    def first_read() -> None:
        kept.unlink(missing_ok=True)

    # Each copy is flushed to disk before the timed run, so that the kernel's
    # write-back of it does not run alongside the command being timed. No
    # snapshot of it is kept: the write parses the TOML.
    def fresh_ledger() -> None:
        kept_copy.unlink(missing_ok=True)
        shutil.copyfile(setup.ledger, setup.ledger_copy)
        os.sync()

    # The same, with the snapshot of the ledger's bytes kept, as in an office
    # where `list` or `report` ran since the file last changed.
    def fresh_ledger_warm() -> None:
        fresh_ledger()
        if kept.exists():
            shutil.copyfile(kept, kept_copy)

    def fresh_tasks() -> None:
        assert setup.task_data_write is not None and setup.task_data is not None
        shutil.rmtree(setup.task_data_write, ignore_errors=True)
        shutil.copytree(setup.task_data, setup.task_data_write)
        os.sync()

    def job(key: str, label: str, argv: list[str], **extra: Any) -> Job:
        return Job(Timing(key, label, argv), extra.pop("env", env), **extra)

    jobs = [
        job("pass", "python -I -c pass", [args.python, "-I", "-c", "pass"]),
        job("version", "measures --version", [measures, "--version"]),
        job("list", "measures list", [measures, "-f", ledger, "list"]),
        job(
            "json",
            "measures list --format json",
            [measures, "-f", ledger, "list", "--format", "json"],
        ),
        job("report", "measures report", [measures, "-f", ledger, "report"]),
        job(
            "json cold",
            "measures list --format json (first read)",
            [measures, "-f", ledger, "list", "--format", "json"],
            prepare=first_read,
        ),
        job(
            "done",
            f"measures done {ident}",
            [measures, "-f", copy, "done", ident],
            prepare=fresh_ledger,
        ),
        job(
            "done warm",
            f"measures done {ident} (snapshot kept)",
            [measures, "-f", copy, "done", ident],
            prepare=fresh_ledger_warm,
        ),
    ]
    note = job(
        "note",
        f"measures note {ident} TEXT",
        [measures, "-f", copy, "note", ident, NOTE_TEXT],
        prepare=fresh_ledger,
    )
    if not command_exists(measures, "note"):
        progress("  measures note: n/a: command not available\n")
        note.timing.problem = "n/a: command not available"
    jobs.append(note)
    # Undo: each run first makes (untimed) a note on a fresh copy, then undoes it.
    journal_folder = setup.ledger_copy.parent / ".measures"

    def noted_ledger() -> None:
        shutil.rmtree(journal_folder, ignore_errors=True)
        fresh_ledger()
        subprocess.run(
            [measures, "-f", copy, "note", ident, NOTE_TEXT],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.sync()

    exported = str(args.workdir / f"export-{setup.size}.xlsx")
    jobs += [
        job(
            "list cold",
            "measures list (first read)",
            [measures, "-f", ledger, "list"],
            prepare=first_read,
        ),
        job(
            "report cold",
            "measures report (first read)",
            [measures, "-f", ledger, "report"],
            prepare=first_read,
        ),
        job(
            "undo",
            "measures undo (of a note)",
            [measures, "-f", copy, "undo"],
            prepare=noted_ledger,
        ),
        job("check", "measures check", [measures, "-f", ledger, "check"]),
        job(
            "xlsx",
            "measures export --format xlsx",
            [measures, "-f", ledger, "export", "--format", "xlsx", "--output", exported],
        ),
        job(
            "html",
            "measures report --format html",
            [measures, "-f", ledger, "report", "--format", "html"],
        ),
    ]
    tid = setup.task_id or "?"
    peers = [
        ("task list", "task list", ["list"]),
        ("task export", "task export", ["export"]),
        ("task summary", "task summary", ["summary"]),
        ("task done", f"task {tid} done", [tid, "done"]),
        ("task annotate", f"task {tid} annotate TEXT", [tid, "annotate", NOTE_TEXT]),
        ("task undo", "task undo (of an annotate)", ["undo"]),
    ]
    for key, label, words in peers:
        if task is None:
            jobs.append(job(key, label, [], prepare=None))
            jobs[-1].timing.problem = "n/a: Taskwarrior not installed"
        elif key in ("task done", "task annotate", "task undo"):
            write_env = {**base_env(), "TASKRC": str(setup.task_rc_write)}

            def annotated(write_env: dict[str, str] = write_env) -> None:
                fresh_tasks()
                subprocess.run(
                    [task, tid, "annotate", NOTE_TEXT],
                    env=write_env,
                    check=True,
                    capture_output=True,
                )

            prepare = annotated if key == "task undo" else fresh_tasks
            jobs.append(job(key, label, [task, *words], env=write_env, prepare=prepare))
        else:
            read_env = {**base_env(), "TASKRC": str(setup.task_rc)}
            jobs.append(job(key, label, [task, *words], env=read_env))
    measure(jobs, args.runs or default_runs(setup.size), args.timeout, args.budget)
    return [j.timing for j in jobs]


def ratios(size: int, timings: list[Timing], shipped: bool) -> list[Ratio]:
    by_key = {t.key: t for t in timings}

    def get(key: str) -> Timing | None:
        return by_key.get(key)

    def time_ratio(name: str, top: str, bottom: str, target: float | None) -> Ratio:
        return _ratio(name, get(top), get(bottom), target, lambda t: t.median_ms)

    def memory_ratio(name: str, top: str, bottom: str, target: float | None) -> Ratio:
        return _ratio(name, get(top), get(bottom), target, lambda t: t.peak_mib, time=False)

    # The targets of issue 18: at the shipped ledger against start-up itself; at
    # 10,000 against Taskwarrior's same job; at 100,000 the warm `done` and its memory.
    peer = 1 if size == 10_000 else None
    cold = 2 if size == 10_000 else None
    done_warm = 1 if size >= 10_000 else None
    memory_target = 2 if size >= 100_000 else None
    seconds = {10_000: 5.0, 100_000: 60.0}.get(size)
    return [
        time_ratio("list / python pass", "list", "pass", 6 if shipped else None),
        time_ratio("--version / python pass", "version", "pass", 3 if shipped else None),
        time_ratio("list / task list", "list", "task list", peer),
        time_ratio("list json / task export", "json", "task export", peer),
        time_ratio("report / task summary", "report", "task summary", peer),
        time_ratio("list json (first read) / task export", "json cold", "task export", None),
        time_ratio("done / task done", "done", "task done", peer),
        time_ratio("done (snapshot kept) / task done", "done warm", "task done", done_warm),
        time_ratio("note / task annotate", "note", "task annotate", None),
        time_ratio("list (first read) / task list", "list cold", "task list", cold),
        time_ratio("report (first read) / task summary", "report cold", "task summary", cold),
        time_ratio("list (first read) / python pass", "list cold", "pass", 10 if shipped else None),
        time_ratio("done / python pass", "done", "pass", 12 if shipped else None),
        time_ratio(
            "done (snapshot kept) / python pass", "done warm", "pass", 8 if shipped else None
        ),
        time_ratio("undo / task undo", "undo", "task undo", None),
        time_ratio("check / task export", "check", "task export", None),
        time_ratio("export xlsx / task export", "xlsx", "task export", None),
        _seconds("export xlsx, seconds", get("xlsx"), seconds),
        time_ratio("report html / task summary", "html", "task summary", None),
        memory_ratio("memory: list json / task export", "json", "task export", None),
        memory_ratio("memory: report / task summary", "report", "task summary", None),
        memory_ratio("memory: done / task done", "done", "task done", None),
        memory_ratio(
            "memory: done (snapshot kept) / task done", "done warm", "task done", memory_target
        ),
    ]


def _seconds(name: str, timing: Timing | None, target: float | None) -> Ratio:
    """A command's own median in seconds, against a target in seconds (not a ratio)."""
    median = None if timing is None else timing.median_ms
    if timing is not None and median is None and timing.timed_out_after_s is not None:
        return Ratio(name, timing.timed_out_after_s, target, bound=">", unit="s")
    return Ratio(name, None if median is None else median / 1000, target, unit="s")


def _ratio(
    name: str,
    top: Timing | None,
    bottom: Timing | None,
    target: float | None,
    figure: Callable[[Timing], float | None],
    time: bool = True,
) -> Ratio:
    if top is None or bottom is None:
        return Ratio(name, None, target)
    below = figure(bottom)
    above = figure(top)
    if time and above is None and top.timed_out_after_s is not None and below:
        # The command ran past the timeout: the ratio is at least timeout / peer.
        return Ratio(name, top.timed_out_after_s * 1000 / below, target, bound=">")
    if above is None or not below:
        return Ratio(name, None, target)
    return Ratio(name, above / below, target)


def machine() -> dict[str, Any]:
    from importlib import metadata

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory_gib = f"{int(memory) / 2**20:.0f} GiB"
    except OSError:
        memory_gib = "?"
    versions = {}
    for package in ("measures", "typer", "click", "pydantic", "rich", "tomlkit", "filelock"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    task = shutil.which("task")
    task_version = (
        subprocess.run([task, "--version"], capture_output=True, text=True).stdout.strip()
        if task
        else "-"
    )
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory_gib,
        "python": platform.python_version(),
        "taskwarrior": task_version,
        "packages": versions,
        "peak_memory_from": "/usr/bin/time -f %M" if GNU_TIME.exists() else "os.wait4 rusage",
    }


def table(results: dict[int, tuple[list[Timing], list[Ratio]]], info: dict[str, Any]) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['platform']}",
        f"Python {info['python']}; Taskwarrior {info['taskwarrior']}; {packages}",
        f"Median wall time; peak RSS from {info['peak_memory_from']}.",
        "",
    ]
    for size, (timings, found) in results.items():
        lines.append(f"== {size:,} measures ==")
        lines.append(f"{'command':<34}{'median ms':>11}{'runs':>6}{'peak MiB':>10}")
        for t in timings:
            if t.problem:
                lines.append(f"{t.label:<34}  {t.problem}")
                continue
            median, peak = t.median_ms or 0.0, t.peak_mib or 0.0
            lines.append(f"{t.label:<34}{median:>11.1f}{len(t.runs_ms):>6}{peak:>10.1f}")
        lines.append(f"{'ratio':<34}{'value':>11}{'target':>10}")
        for r in found:
            lines.append(f"{r.name:<34}{_value(r):>11}{_target(r):>10}  {r.verdict}")
        lines.append("")
    return "\n".join(lines)


def markdown(results: dict[int, tuple[list[Timing], list[Ratio]]]) -> str:
    """The figures as two Markdown tables, one column pair per size, for docs/benchmarks.md."""
    sizes = list(results)
    head = "| command | " + " | ".join(f"{n:,}: ms | MiB" for n in sizes) + " |"
    lines = [head, "| --- |" + " ---: | ---: |" * len(sizes)]
    first = results[sizes[0]][0]
    for row, timing in enumerate(first):
        # The ids differ from size to size: name them ID.
        label = " ".join("ID" if word.isdigit() else word for word in timing.label.split())
        cells = []
        for n in sizes:
            t = results[n][0][row]
            if t.problem:
                cells.append(f"{t.problem} | ")
            else:
                cells.append(f"{t.median_ms or 0:,.0f} | {t.peak_mib or 0:.0f}")
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    lines += ["", "| ratio | " + " | ".join(f"{n:,}" for n in sizes) + " |"]
    lines.append("| --- |" + " --- |" * len(sizes))
    for row, ratio in enumerate(results[sizes[0]][1]):
        cells = []
        for n in sizes:
            r = results[n][1][row]
            verdict = "" if r.verdict == "info" else f" {r.verdict} (target {_target(r)})"
            cells.append(_value(r) + verdict)
        lines.append(f"| {ratio.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _value(ratio: Ratio) -> str:
    return "-" if ratio.value is None else f"{ratio.bound}{ratio.value:.2f}{ratio.unit}"


def _target(ratio: Ratio) -> str:
    return "-" if ratio.target is None else f"<= {ratio.target:g}{ratio.unit}"


def to_json(results: dict[int, tuple[list[Timing], list[Ratio]]], info: dict[str, Any]) -> str:
    figures = {
        "machine": info,
        "sizes": {
            str(size): {
                "commands": [{**asdict(t), "median_ms": t.median_ms} for t in timings],
                "ratios": [{**asdict(r), "verdict": r.verdict} for r in found],
            }
            for size, (timings, found) in results.items()
        },
    }
    return json.dumps(figures, ensure_ascii=False, indent=2)


def from_json(text: str) -> tuple[dict[int, tuple[list[Timing], list[Ratio]]], dict[str, Any]]:
    figures = json.loads(text)
    results = {}
    for size, found in figures["sizes"].items():
        timings = [
            Timing(**{k: v for k, v in c.items() if k != "median_ms"}) for c in found["commands"]
        ]
        ratios_ = [Ratio(**{k: v for k, v in r.items() if k != "verdict"}) for r in found["ratios"]]
        results[int(size)] = (timings, ratios_)
    return results, figures["machine"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="31,10000,100000", help="comma-separated sizes")
    parser.add_argument(
        "--runs", type=int, help="timed runs per command (default 21, 7, 3 by size)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument(
        "--budget",
        type=float,
        default=30.0,
        help="stop adding timed runs of a command once this many seconds are spent",
    )
    bin_folder = Path(sys.executable).parent
    parser.add_argument("--measures", default=str(bin_folder / "measures"))
    parser.add_argument("--python", default=sys.executable, help="for python -I -c pass")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "measures-bench"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the figures as JSON (the table goes to stderr)"
    )
    parser.add_argument(
        "--show", type=Path, metavar="FILE", help="print the table of a run saved with --json"
    )
    parser.add_argument("--markdown", action="store_true", help="with --show: Markdown tables")
    args = parser.parse_args(argv)
    if args.show is not None:
        saved, saved_info = from_json(args.show.read_text(encoding="utf-8"))
        print(markdown(saved) if args.markdown else table(saved, saved_info))
        return 0
    sizes = [int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()]
    if not Path(args.measures).exists():
        parser.error(
            f"{args.measures}: not found; install measures in this venv or give --measures"
        )
    task = shutil.which("task")
    if task is None:
        progress("Taskwarrior not found (apt-get install taskwarrior): its rows are n/a\n")
    info = machine()
    results: dict[int, tuple[list[Timing], list[Ratio]]] = {}
    for size in sizes:
        setup = prepare_size(size, args.workdir, task)
        timings = bench_size(setup, args, task)
        shipped = setup.ledger.read_bytes() == SHIPPED.read_bytes() if SHIPPED.exists() else False
        results[size] = (timings, ratios(size, timings, shipped))
    if args.json:
        print(to_json(results, info))
        progress(table(results, info) + "\n")
    else:
        print(table(results, info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
