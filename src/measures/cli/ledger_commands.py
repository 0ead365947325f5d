"""Commands that read the ledger and show its measures."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from measures.cli.app import (
    AsOfOption,
    FileOption,
    PlanOption,
    app,
    argument,
    open_plans,
    option,
    parse_days,
    reports_errors,
    say,
    views_as_of,
)
from measures.domain.queries import SortKey
from measures.errors import BadValue
from measures.grammar import LIST, LOG, SHOW, ListFormat, ShowFormat
from measures.i18n import _
from measures.model.records import Status
from measures.writes import clock_today, parse_ids

if TYPE_CHECKING:
    from measures.domain.lights import Light
    from measures.ledger.workspace import PlanFile, Workspace


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


def _lights(values: list[str] | None) -> frozenset[Light]:
    """Lights as typed: red, 红 or 红灯 (and so on); a usage error if not one."""
    from measures.domain.lights import parse_light

    lights = set()
    for value in values or ():
        shown = parse_light(value)
        if shown is None:
            raise typer.BadParameter(
                _("{value} is not a light; use red, yellow or green (红, 黄, 绿).").format(
                    value=repr(value)
                ),
                param_hint="'--light'",
            )
        lights.add(shown)
    return frozenset(lights)


@app.command("list")
@reports_errors
def list_(
    ctx: typer.Context,
    status: Annotated[list[str] | None, option(LIST.option("status"))] = None,
    owner: Annotated[str | None, option(LIST.option("owner"))] = None,
    overdue: Annotated[bool, option(LIST.option("overdue"))] = False,
    due_within: Annotated[str | None, option(LIST.option("due_within"))] = None,
    search: Annotated[str | None, option(LIST.option("search"))] = None,
    stale: Annotated[str | None, option(LIST.option("stale"))] = None,
    light: Annotated[list[str] | None, option(LIST.option("light"))] = None,
    sort: Annotated[SortKey, option(LIST.option("sort"))] = SortKey.ID,
    as_of: AsOfOption = None,
    output: Annotated[ListFormat, option(LIST.option("output"))] = ListFormat.TABLE,
    file: FileOption = None,
    unit: Annotated[str | None, option(LIST.option("unit"))] = None,
    partner: Annotated[str | None, option(LIST.option("partner"))] = None,
    plan: PlanOption = None,
) -> None:
    """Show the measures: id, title, owner, deadline and status.

    Example: measures list --status todo --owner 税务 --sort deadline
    """
    from measures.domain.plans import listed, rules_beside, units_of
    from measures.domain.queries import Filter

    statuses = _statuses(status)
    lights = _lights(light)
    within = parse_days(due_within, "--due-within") if due_within is not None else None
    quiet = parse_days(stale, "--stale") if stale is not None else None
    workspace = open_plans(ctx, file, plan)
    plans, today = views_as_of(workspace, as_of)
    units = units_of(workspace)
    wanted = Filter(
        statuses=frozenset(statuses),
        owner=owner,
        overdue=overdue,
        due_within=within,
        search=search,
        stale=quiet,
        unit=unit,
        partner=partner,
        names=units.matches if units.defined else None,
        lights=lights,
    )
    chosen, keys = listed(plans, wanted, today, sort, workspace.several)
    from measures.render.output import print_measures

    print_measures(chosen, today, output, keys, rules_beside(plans, chosen, keys))


@app.command()
@reports_errors
def show(
    ctx: typer.Context,
    ident: Annotated[str, argument(SHOW.arguments[0])],
    output: Annotated[ShowFormat, option(SHOW.option("output"))] = ShowFormat.TABLE,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Show one measure in full: every field and its log.

    Example: measures show 3 --format json
    """
    from measures.render.output import print_measure

    today = clock_today()
    workspace, found, number = _one_measure(ctx, file, plan, ident)
    ledger = found.readable()
    measure = ledger.get(number)
    print_measure(measure, today, output, found.key if workspace.several else None, ledger.plan)


def _one_measure(
    ctx: typer.Context, file: str | None, plan: str | None, ident: str
) -> tuple[Workspace, PlanFile, int]:
    """The workspace, and the plan and id that `ID` or `KEY:ID` names."""
    from measures.ledger.workspace import split_ident

    workspace = open_plans(ctx, file, plan)
    key, rest = split_ident(ident)
    if key is None:
        number = parse_ids([ident])[0]
    else:
        try:
            number = parse_ids([rest])[0]
        except BadValue:
            number = parse_ids([ident])[0]
    found, number = workspace.resolve(ident, number, key)
    return workspace, found, number


@app.command()
@reports_errors
def log(
    ctx: typer.Context,
    ident: Annotated[str | None, argument(LOG.arguments[0])] = None,
    since: Annotated[str | None, option(LOG.option("since"))] = None,
    output: Annotated[ShowFormat, option(LOG.option("output"))] = ShowFormat.TABLE,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Show the log: every recorded change, oldest first, newest last.

    Example: measures log 3 --since 2020-12-01
    """
    from measures.domain.dates import parse_date
    from measures.domain.history import events, events_across

    since_day = parse_date(since, clock_today(), "--since") if since is not None else None
    from measures.render.output import print_log

    if ident is not None:
        workspace, found, number = _one_measure(ctx, file, plan, ident)
        ledger = found.readable()
        ledger.get(number)  # an unknown id is an error, not an empty log
        chosen = events(ledger.measures, since_day, number)
        if workspace.several:
            chosen = [replace(event, plan=found.key) for event in chosen]
        print_log(chosen, output)
        return
    workspace = open_plans(ctx, file, plan)
    plans = [(p.key, p.readable().measures) for p in workspace.readable]
    if not workspace.several:
        print_log(events(plans[0][1], since_day, None), output)
        return
    print_log(events_across(plans, since_day), output)


@app.command()
@reports_errors
def check(ctx: typer.Context, file: FileOption = None, plan: PlanOption = None) -> None:
    """Check the ledger and list every problem at once; exit 1 if there is an error.

    Example: measures check
    """
    from measures.cli.app import find
    from measures.domain.checks import has_error
    from measures.domain.filecheck import check_files
    from measures.domain.units import Units
    from measures.errors import EXIT_FAILED
    from measures.render.problems import problems_text

    workspace = find(ctx, file).narrowed(plan)
    paths = [each.path for each in workspace.plans]
    problems, measures = check_files(paths, Units(workspace.units))
    sys.stdout.write(problems_text(problems, measures))
    if has_error(problems):
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
