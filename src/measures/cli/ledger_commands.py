"""Commands that read the ledger and show its measures."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from measures.cli.app import (
    AsOfOption,
    FileOption,
    app,
    argument,
    clock_today,
    ledger_path,
    load,
    load_as_of,
    option,
    parse_days,
    parse_ids,
    reports_errors,
    say,
)
from measures.domain.queries import SortKey
from measures.errors import BadValue
from measures.grammar import LIST, LOG, SHOW, ListFormat, ShowFormat
from measures.i18n import _
from measures.model.records import Status


def _statuses(values: list[str] | None) -> list[Status]:
    """Statuses as typed, by value (doing) or by Chinese name (推进中); a usage error if not one."""
    from measures.domain.labels import parse_status, status_list

    statuses = []
    for value in values or ():
        status = parse_status(value)
        if status is None:
            raise typer.BadParameter(
                _("{value} is not a status; use one of {choices}.").format(
                    value=repr(value), choices=status_list(frozenset(Status))
                ),
                param_hint="'--status'",
            )
        statuses.append(status)
    return statuses


@app.command("list")
@reports_errors
def list_(
    ctx: typer.Context,
    status: Annotated[list[str] | None, option(LIST.option("status"))] = None,
    owner: Annotated[str | None, option(LIST.option("owner"))] = None,
    overdue: Annotated[bool, option(LIST.option("overdue"))] = False,
    due_within: Annotated[str | None, option(LIST.option("due_within"))] = None,
    search: Annotated[str | None, option(LIST.option("search"))] = None,
    sort: Annotated[SortKey, option(LIST.option("sort"))] = SortKey.ID,
    as_of: AsOfOption = None,
    output: Annotated[ListFormat, option(LIST.option("output"))] = ListFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show the measures: id, title, owner, deadline and status.

    Example: measures list --status todo --owner 税务 --sort deadline
    """
    from measures.domain.queries import Filter, select, sort_measures

    statuses = _statuses(status)
    within = parse_days(due_within, "--due-within") if due_within is not None else None
    ledger, today = load_as_of(ctx, file, as_of)
    wanted = Filter(
        statuses=frozenset(statuses),
        owner=owner,
        overdue=overdue,
        due_within=within,
        search=search,
    )
    chosen = sort_measures(select(ledger.measures, wanted, today), sort)
    from measures.render.output import print_measures

    print_measures(chosen, today, output)


@app.command()
@reports_errors
def show(
    ctx: typer.Context,
    ident: Annotated[str, argument(SHOW)],
    output: Annotated[ShowFormat, option(SHOW.option("output"))] = ShowFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show one measure in full: every field and its log.

    Example: measures show 3 --format json
    """
    from measures.render.output import print_measure

    today = clock_today()
    ledger = load(ctx, file)
    measure = ledger.get(parse_ids([ident])[0])
    print_measure(measure, today, output, ledger.plan)


@app.command()
@reports_errors
def log(
    ctx: typer.Context,
    ident: Annotated[str | None, argument(LOG)] = None,
    since: Annotated[str | None, option(LOG.option("since"))] = None,
    output: Annotated[ShowFormat, option(LOG.option("output"))] = ShowFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show the log: every recorded change, oldest first, newest last.

    Example: measures log 3 --since 2020-12-01
    """
    from measures.domain.dates import parse_date
    from measures.domain.history import events

    since_day = parse_date(since, clock_today(), "--since") if since is not None else None
    ledger = load(ctx, file)
    number = parse_ids([ident])[0] if ident is not None else None
    if number is not None:
        ledger.get(number)  # an unknown id is an error, not an empty log
    from measures.render.output import print_log

    print_log(events(ledger.measures, since_day, number), output)


@app.command()
@reports_errors
def check(ctx: typer.Context, file: FileOption = None) -> None:
    """Check the ledger and list every problem at once; exit 1 if there is an error.

    Example: measures check
    """
    from measures.domain.checks import Level, check_ledger
    from measures.errors import EXIT_FAILED, InvalidLedger
    from measures.render.problems import problems_text

    path = ledger_path(ctx, file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidLedger(
            _("{path}: cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None
    problems = check_ledger(raw, str(path))
    measures = None if problems else len(load(ctx, file).measures)
    sys.stdout.write(problems_text(problems, measures))
    if any(problem.level is Level.ERROR for problem in problems):
        raise typer.Exit(EXIT_FAILED)


@app.command()
@reports_errors
def init(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="PATH",
            help="The new ledger (a folder: measures.toml in it). Default: ./measures.toml.",
        ),
    ] = None,
    empty: Annotated[
        bool, typer.Option("--empty", help="A ledger with no measures, not the shipped plan.")
    ] = False,
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="TEXT", help="With --empty: the plan's name."),
    ] = None,
) -> None:
    """Create a ledger: the shipped 31-measure plan, or an empty one; never overwrites.

    Example: measures init plans/2021.toml --empty --name "2021年优化营商环境行动方案"
    """
    from pathlib import Path

    from measures.ledger.newledger import DEFAULT_NAME, create, empty_ledger, shipped_plan

    if name is not None and not empty:
        raise BadValue(_("--name goes with --empty: the shipped plan has its own name."))
    target = Path(path or ctx.obj or "measures.toml")
    if target.is_dir():
        target = target / "measures.toml"
    if empty:
        create(target, empty_ledger(DEFAULT_NAME if name is None else name).encode("utf-8"))
        say(
            _("Created {path}: an empty ledger. Add measures with `measures add`.").format(
                path=target
            )
        )
    else:
        create(target, shipped_plan())
        say(
            _(
                "Created {path}: the shipped plan, 31 measures. See them with `measures list`."
            ).format(path=target)
        )
