"""The typer app and what every command shares: the ledger option, errors, the clock.

Commands live beside this module, grouped by what they do; each parses its
options, calls the core and hands the result to a renderer. The options of
`list`, `report`, `show` and `log` and the main ones are declared in
`grammar.py`, which the quick path parses by too; `option` and `argument` make
typer's parameters of those declarations.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn, TypeVar

import typer

from measures import __version__, grammar
from measures.cli.framework import Group
from measures.errors import BadValue, MeasuresError, error_text, typed
from measures.grammar import Language
from measures.i18n import _, set_language
from measures.model.records import Ledger
from measures.writes import clock_today, in_plan, parse_ids

if TYPE_CHECKING:
    from measures.domain.plans import PlanView
    from measures.ledger.workspace import Workspace

app = typer.Typer(
    cls=Group,
    name="measures",
    help="Keep the ledger (台账) of a government action plan: its measures, owners, "
    "deadlines and status.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def option(declared: grammar.Option, **settings: Any) -> Any:
    """The typer option declared in `grammar.py`, with settings of typer's own."""
    return typer.Option(*declared.names, metavar=declared.metavar, help=declared.help, **settings)


def argument(declared: grammar.Argument) -> Any:
    """The typer argument declared in `grammar.py`."""
    return typer.Argument(metavar=declared.metavar, help=declared.help)


FileOption = Annotated[str | None, option(grammar.FILE)]
PlanOption = Annotated[str | None, option(grammar.PLAN)]


F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a MeasuresError into its one- or two-line message and exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MeasuresError as error:
            _fail(error)

    return wrapper  # type: ignore[return-value]


def _fail(error: MeasuresError) -> NoReturn:
    sys.stderr.write(error_text(error))
    raise typer.Exit(error.exit_code)


def say(message: str) -> None:
    from measures.inert import inert

    sys.stderr.write(inert(message) + "\n")


def _version(value: bool) -> None:
    if value:
        print(f"measures {__version__}")
        raise typer.Exit()


def _language(value: Language | None) -> None:
    if value is not None:
        set_language(value.value)


@app.callback()
def main(
    ctx: typer.Context,
    file: FileOption = None,
    lang: Annotated[
        Language | None, option(grammar.LANG, callback=_language, is_eager=True)
    ] = None,
    version: Annotated[bool, option(grammar.VERSION, callback=_version, is_eager=True)] = False,
) -> None:
    """Keep the ledger (台账) of a government action plan."""
    ctx.obj = file


def ledger_path(ctx: typer.Context, file: str | None) -> Path:
    from measures.ledger.store import find_ledger

    return find_ledger(file or ctx.obj, os.environ, Path.cwd())


def load(ctx: typer.Context, file: str | None) -> Ledger:
    from measures.ledger.store import read_ledger

    return read_ledger(ledger_path(ctx, file)).ledger


def find(ctx: typer.Context, file: str | None) -> Workspace:
    """The workspace --file names (or the one found), its plans not yet read if it is one file."""
    from measures.ledger.workspace import find_workspace

    return find_workspace(file or ctx.obj, os.environ, Path.cwd())


def open_plans(ctx: typer.Context, file: str | None, plan: str | None) -> Workspace:
    """The workspace, every plan read, narrowed to --plan; a plan that could not be read
    is named on stderr and left out, unless it is the only one (then its error is raised)."""
    from measures.ledger.workspace import read_single

    workspace = read_single(find(ctx, file)).narrowed(plan)
    readable = workspace.readable
    if not readable:
        workspace.plans[0].readable()
    for unread in workspace.unreadable:
        assert unread.error is not None
        say(_("Warning: left out: {message}").format(message=unread.error.message))
    return workspace


def one_plan(ctx: typer.Context, file: str | None, plan: str | None, command: str) -> Path:
    """The file of the one plan a command works on: the ledger, or the --plan of a workspace."""
    workspace = find(ctx, file)
    if workspace.folder is None and plan is None:
        return workspace.plans[0].path
    from measures.ledger.workspace import read_single

    chosen = read_single(workspace).narrowed(plan).only(command)
    chosen.readable()
    return chosen.path


class Targets(NamedTuple):
    """The plan file a write goes to and the ids it names there; `among_several`: the file
    was picked out of a workspace of several plans, so what the write says names it."""

    path: Path
    numbers: list[int]
    among_several: bool = False


def targets(ctx: typer.Context, file: str | None, plan: str | None, idents: list[str]) -> Targets:
    """The plan file and the ids that `ID` or `KEY:ID` arguments name, all in one plan."""
    from measures.ledger.workspace import read_single, split_ident

    found = find(ctx, file)
    split = [split_ident(text) for text in idents]
    if found.folder is None and plan is None and all(key is None for key, _ in split):
        return Targets(found.plans[0].path, parse_ids(idents))  # one ledger: exactly as ever
    workspace = read_single(found).narrowed(plan)
    chosen = [
        workspace.resolve(text, _number(text, rest), key)
        for text, (key, rest) in zip(idents, split, strict=True)
    ]
    files = list(dict.fromkeys(found.path for found, _number in chosen))
    if len(files) > 1:
        raise BadValue(
            _("{ids}: these measures are in different plans; change one plan at a time.").format(
                ids=_(", ").join(typed(text) for text in idents)
            ),
            _("Run the command once for each plan."),
        )
    chosen[0][0].readable()
    numbers = list(dict.fromkeys(number for _plan, number in chosen))
    return Targets(files[0], numbers, found.several and plan is None)


def say_in(where: Targets, message: str) -> None:
    """`say` what a write did; first, in a workspace of several plans, the file it went to."""
    if where.among_several:
        say(in_plan(where.path))
    say(message)


def _number(text: str, rest: str) -> int:
    """The id of `KEY:ID` or `ID`; an error quotes the whole argument as typed."""
    try:
        return parse_ids([rest])[0]
    except BadValue:
        return parse_ids([text])[0]


AsOfOption = Annotated[str | None, option(grammar.AS_OF)]


def views_as_of(workspace: Workspace, as_of: str | None) -> tuple[list[PlanView], date]:
    """The workspace's plans as read commands see them, as of --as-of (default: today)."""
    from measures.domain.plans import views

    today = clock_today()
    plans = views(workspace)
    if as_of is None:
        return plans, today
    from measures.domain.dates import parse_date
    from measures.domain.history import ledger_as_of
    from measures.domain.plans import PlanView, units_of
    from measures.domain.units import canonical_ledger

    day = parse_date(as_of, today, "--as-of")
    units = units_of(workspace)  # the log's old names too, as of the day
    past = [canonical_ledger(ledger_as_of(view.ledger, day), units) for view in plans]
    return [PlanView(view.key, ledger) for view, ledger in zip(plans, past, strict=True)], day


def parse_days(value: str, option: str) -> int:
    """A number of days as typed for `option`: a whole number, 0 or more."""
    from measures.domain.queries import MAX_DAYS

    text = value.strip()
    if not text.isdecimal():
        raise BadValue(
            _("{option} {value} is not a number of days: use a whole number such as 14.").format(
                option=option, value=typed(value)
            )
        )
    # Counted without int() first: Python refuses to read a number of over 4,300 digits.
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(MAX_DAYS)) or int(digits) > MAX_DAYS:
        raise BadValue(
            _("{option} {value} is more days than the calendar holds: use at most {most}.").format(
                option=option, value=typed(value), most=MAX_DAYS
            )
        )
    return int(digits)
