"""Commands that let git merge a ledger record by record instead of line by line."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from measures.cli.app import FileOption, PlanOption, app, find, reports_errors, say
from measures.errors import MeasuresError
from measures.i18n import N_, _, ngettext

DRIVER = "measures"
DRIVER_NAME = "measures: merge the ledger record by record"
DRIVER_ARGUMENTS = "merge-driver %O %A %B"


def driver_command() -> str:
    """The command git runs to merge: this Python running measures, from any shell.

    git runs it through the shell, where the virtualenv measures is installed in
    may not be active (a `git pull` from a new terminal, an IDE): the absolute
    path of the interpreter that runs measures now finds it whatever PATH says.
    The path is quoted for the shell, and a `%` in it doubled, as git reads `%%`.
    """
    python = sys.executable
    if not python:  # an embedded interpreter that cannot say where it is
        return f"measures {DRIVER_ARGUMENTS}"
    return f"{shlex.quote(python).replace('%', '%%')} -m measures {DRIVER_ARGUMENTS}"


_RESOLVE_HINT = N_(
    "In each marked section keep the lines of one side and delete the marker lines, "
    "then `git add` the ledger and finish the merge."
)


class GitFailed(MeasuresError):
    """git could not be run, or refused what it was asked."""


@app.command("merge-driver", hidden=True)
@reports_errors
def merge_driver(
    base: Annotated[str, typer.Argument(metavar="BASE", help="The common ancestor (git's %O).")],
    ours: Annotated[
        str, typer.Argument(metavar="OURS", help="Our version; the result is written here (%A).")
    ],
    theirs: Annotated[str, typer.Argument(metavar="THEIRS", help="Their version (%B).")],
) -> None:
    """Merge three versions of a ledger by measure and field (git runs it; see git-setup).

    Example: measures merge-driver %O %A %B
    """
    from measures.domain.merge import merge_texts
    from measures.errors import InvalidLedger
    from measures.ledger.store import write_text

    paths = Path(base), Path(ours), Path(theirs)
    texts = [_read(path) for path in paths]
    if any(text is None for text in texts):
        raise typer.Exit(_line_merge(*paths))
    base_text, ours_text, theirs_text = (text or "" for text in texts)
    try:
        result = merge_texts(base_text, ours_text, theirs_text)
    except InvalidLedger as error:
        say(f"measures: {error.message}")
        say(_("measures: cannot merge the ledger record by record; merging it line by line."))
        raise typer.Exit(_line_merge(*paths)) from None
    write_text(paths[1], result.text)
    if result.clean:
        return
    count = len(result.conflicts)
    say(
        ngettext(
            "measures: {count} conflict in the ledger, "
            "marked between <<<<<<< ours and >>>>>>> theirs:",
            "measures: {count} conflicts in the ledger, "
            "marked between <<<<<<< ours and >>>>>>> theirs:",
            count,
        ).format(count=count)
    )
    for conflict in result.conflicts:
        say(f"  {conflict.describe()}")
    say(_(_RESOLVE_HINT))
    raise typer.Exit(1)


def _read(path: Path) -> str | None:
    """The file's text, or None if it is not UTF-8 (then only a line merge can help)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        say(_("measures: {path} is not UTF-8 text; merging it line by line.").format(path=path))
        return None
    except OSError as error:
        raise MeasuresError(
            _("{path}: cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None


def _line_merge(base: Path, ours: Path, theirs: Path) -> int:
    """git's own line merge into OURS; 0 only when it is clean and still a valid ledger."""
    from measures.errors import InvalidLedger
    from measures.model.parse import parse_ledger

    labels = ["-L", "ours", "-L", "base", "-L", "theirs"]
    completed = _git(Path.cwd(), "merge-file", *labels, str(ours), str(base), str(theirs))
    if completed.returncode != 0:
        return 1
    try:
        parse_ledger(ours.read_bytes().decode("utf-8"), _("the merged ledger"))
    except (InvalidLedger, UnicodeDecodeError) as error:
        say(_("measures: the line merge is not a valid ledger: {error}").format(error=error))
        return 1
    return 0


@app.command("git-setup")
@reports_errors
def git_setup(
    ctx: typer.Context,
    command: Annotated[
        str | None,
        typer.Option(
            "--command",
            metavar="COMMAND",
            help="The command git runs to merge the ledger. Default: this Python "
            "(its absolute path) with -m measures merge-driver %O %A %B, which works "
            "from any shell.",
        ),
    ] = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Set up git to merge this ledger record by record (registers merge-driver).

    In a workspace, every plan's file is marked (or the --plan's).

    Example: measures git-setup --file data/measures.toml
    """
    command = driver_command() if command is None else command
    for each in find(ctx, file).narrowed(plan).plans:
        _set_up(each.path.resolve(), command)


def _set_up(path: Path, command: str) -> None:
    root = Path(_git_output(path.parent, "rev-parse", "--show-toplevel")).resolve()
    relative = path.relative_to(root).as_posix()
    _git_output(root, "config", "--local", f"merge.{DRIVER}.name", DRIVER_NAME)
    _git_output(root, "config", "--local", f"merge.{DRIVER}.driver", command)
    say(
        _("git runs `{command}` to merge files marked merge={driver} in this repository.").format(
            command=command, driver=DRIVER
        )
    )
    if _merge_attribute(root, relative) == DRIVER:
        say(_("{path} is already marked merge={driver}.").format(path=relative, driver=DRIVER))
        return
    attributes = root / ".gitattributes"
    line = f"{_pattern(relative)} merge={DRIVER}\n"
    try:
        # Bytes as they are: a path that is not UTF-8 is written as the system has it.
        before = attributes.read_bytes() if attributes.exists() else b""
        separator = b"\n" if before and not before.endswith(b"\n") else b""
        attributes.write_bytes(before + separator + line.encode("utf-8", "surrogateescape"))
    except OSError as error:
        raise MeasuresError(
            _("{path}: cannot write ({reason}).").format(path=attributes, reason=error.strerror)
        ) from None
    found = _merge_attribute(root, relative)
    if found != DRIVER:
        raise MeasuresError(
            _("{path}: added `{line}`, but git still says merge={found} for {file}.").format(
                path=attributes, line=line.strip(), found=found, file=relative
            ),
            _("Another .gitattributes rule overrides it; remove that rule."),
        )
    say(
        _("Added `{line}` to .gitattributes; commit it so every clone has it.").format(
            line=line.strip()
        )
    )


def _merge_attribute(root: Path, relative: str) -> str:
    """What git's `merge` attribute is for the file: a driver name, set, unset, unspecified."""
    output = _git_output(root, "check-attr", "-z", "merge", "--", relative)
    # -z: path NUL attribute NUL value NUL
    return output.split("\0")[2]


def _pattern(relative: str) -> str:
    """The path as a .gitattributes pattern that matches it alone.

    Glob characters are escaped with a backslash, and so is a leading `#` (a
    comment) or `!` (a negative pattern, which git ignores). A path with spaces,
    quotes or control characters (a tab, a newline) is written in double quotes,
    C-style, as git reads a quoted pattern.
    """
    escaped = "".join("\\" + c if c in "*?[\\" else c for c in relative)
    if escaped[:1] in ("#", "!"):
        escaped = "\\" + escaped
    if escaped == relative and not any(c.isspace() or c == '"' or _control(c) for c in relative):
        return relative
    quoted = "".join(_C_ESCAPES.get(c) or (_octal(c) if _control(c) else c) for c in escaped)
    return f'"{quoted}"'


_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _control(char: str) -> bool:
    return char < " " or char == "\x7f"


def _octal(char: str) -> str:
    return f"\\{ord(char):03o}"


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise GitFailed(_("git is not installed, or not on PATH.")) from None


def _git_output(folder: Path, *args: str) -> str:
    completed = _git(folder, *args)
    if completed.returncode != 0:
        message = completed.stderr.strip().splitlines()
        reason = message[-1] if message else _("no reason given")
        raise GitFailed(
            _("git {command} failed in {folder}: {reason}.").format(
                command=args[0], folder=folder, reason=reason
            ),
            _(
                "measures git-setup works on a ledger inside a git repository "
                "(`git init` makes one)."
            )
            if args[0] == "rev-parse"
            else None,
        )
    return completed.stdout.strip("\n")
