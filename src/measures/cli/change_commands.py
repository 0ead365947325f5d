"""Commands that change measures: each one a locked, atomic, logged write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from measures import grammar, writes
from measures.cli.app import (
    FileOption,
    PlanOption,
    Targets,
    app,
    argument,
    one_plan,
    option,
    reports_errors,
    say,
    say_in,
    targets,
)
from measures.domain.labels import deadline_label, format_date, status_label
from measures.errors import BadValue
from measures.i18n import _
from measures.model.fieldnames import field_label
from measures.model.records import (
    MAX_DEADLINE_TEXT,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    MAX_TITLE_EN,
    FieldValue,
    Ledger,
    Measure,
)
from measures.writes import (
    author,
    check_length,
    clock_now,
    clock_today,
    listed,
    on_checked,
    on_day,
    parse_ids,
)

IdsArgument = Annotated[list[str], argument(grammar.IDS)]
IdArgument = Annotated[str, argument(grammar.ID)]
NoteOption = Annotated[str | None, option(grammar.LOG_NOTE)]
ReasonOption = Annotated[
    str, typer.Option("--reason", metavar="TEXT", help="Why, for the log (required).")
]
ByOption = Annotated[str | None, option(grammar.BY)]
PartnerOption = Annotated[
    list[str] | None,
    typer.Option("--partner", metavar="UNIT", help="A cooperating unit (repeatable)."),
]
OnOption = Annotated[str | None, option(grammar.ON)]
DeadlineTextOption = Annotated[
    str | None,
    typer.Option(
        "--deadline-text",
        metavar="TEXT",
        help="The deadline as the plan words it (2020年年底前, 长期坚持).",
    ),
]


def _one_id(value: str) -> int:
    return _numbers([value])[0]


def _numbers(values: list[str]) -> list[int]:
    """The ids of `ID` or `KEY:ID` arguments, checked before anything is read."""
    from measures.cli.app import _number
    from measures.ledger.workspace import split_ident

    if all(split_ident(value)[0] is None for value in values):
        return parse_ids(values)
    return list(dict.fromkeys(_number(value, split_ident(value)[1]) for value in values))


def _change_each(
    ctx: typer.Context,
    file: str | None,
    plan: str | None,
    idents: list[str],
    change_one: Callable[[Measure], Measure],
) -> tuple[Ledger, Targets]:
    """Apply `change_one` to each measure in one write to its plan's file; if one is
    refused, none changes. The ledger written, and where it went."""
    from measures.ledger.store import update_ledger

    where = targets(ctx, file, plan, idents)

    def change(ledger: Ledger) -> Ledger:
        for number in where.numbers:
            ledger = ledger.replace(change_one(ledger.get(number)))
        return ledger

    return update_ledger(where.path, change, where.numbers)[1], where


def _check_fields(
    title: str | None,
    title_en: str | None,
    owner: str | None,
    partners: list[str] | None,
    source: str | None,
) -> None:
    """Refuse a field longer than the ledger allows, naming its option and the limit."""
    check_length(title, "--title", MAX_TITLE)
    check_length(title_en, "--title-en", MAX_TITLE_EN)
    check_length(owner, "--owner", MAX_NAME)
    for partner in partners or ():
        check_length(partner, "--partner", MAX_NAME)
    check_length(source, "--source", MAX_TEXT)


@app.command()
@reports_errors
def done(
    ctx: typer.Context,
    ids: IdsArgument,
    on: Annotated[str | None, option(grammar.DONE.option("on"))] = None,
    note: NoteOption = None,
    by: Annotated[str | None, option(grammar.DONE.option("by"))] = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Mark measures complete, as reported by their lead unit.

    Example: measures done 3 7 --on 2020-12-20 --note "系统已上线"
    """
    write = writes.done(_numbers(ids), on, note, by, clock_today(), clock_now)
    _after, where = _change_each(ctx, file, plan, ids, write.change_one)
    say_in(where, write.said)


@app.command()
@reports_errors
def start(
    ctx: typer.Context,
    ids: IdsArgument,
    note: NoteOption = None,
    on: OnOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Record that work on measures has begun (todo → doing).

    Example: measures start 3 4 --note "已召开部署会"
    """
    write = writes.start(_numbers(ids), note, on, by, clock_today(), clock_now)
    _after, where = _change_each(ctx, file, plan, ids, write.change_one)
    say_in(where, write.said)


@app.command()
@reports_errors
def block(
    ctx: typer.Context,
    ident: IdArgument,
    reason: ReasonOption,
    on: OnOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Record that work on a measure cannot go on, and why (it stays open).

    Example: measures block 5 --reason "等待市级系统接口"
    """
    from measures.domain.changes import block as block_measure

    today = clock_today()
    number = _one_id(ident)
    day = on_day(on, today)
    check_length(reason, "--reason", MAX_TEXT)
    who, at = author(by), clock_now()

    def block_one(measure: Measure) -> Measure:
        on_checked(measure, on, day, today)
        return block_measure(measure, reason, who, at, day)

    _after, where = _change_each(ctx, file, plan, [ident], block_one)
    say_in(where, _("Blocked: {id}.").format(id=number))


@app.command()
@reports_errors
def drop(
    ctx: typer.Context,
    ident: IdArgument,
    reason: ReasonOption,
    on: OnOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Record that a measure will not be carried out, and why.

    Example: measures drop 12 --reason "并入第3条"
    """
    from measures.domain.changes import drop as drop_measure

    today = clock_today()
    number = _one_id(ident)
    day = on_day(on, today)
    check_length(reason, "--reason", MAX_TEXT)
    who, at = author(by), clock_now()

    def drop_one(measure: Measure) -> Measure:
        on_checked(measure, on, day, today)
        return drop_measure(measure, reason, who, at, day)

    _after, where = _change_each(ctx, file, plan, [ident], drop_one)
    say_in(where, _("Dropped: {id}.").format(id=number))


@app.command()
@reports_errors
def verify(
    ctx: typer.Context,
    ids: IdsArgument,
    note: NoteOption = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            metavar="FILE|URL",
            help="Evidence checked (佐证材料), repeatable: a file beside the ledger, recorded "
            "with its SHA-256, or an http(s) URL.",
        ),
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Sign off measures that are done, once the evidence is checked (销号).

    Example: measures verify 3 --evidence 佐证/3.pdf --note "材料齐全" --by zhao
    """
    from pathlib import Path

    from measures.domain.changes import verify as verify_measure
    from measures.domain.evidence import gather
    from measures.ledger.store import update_ledger

    today = clock_today()
    _numbers(ids)  # every id checked before anything is read
    day = on_day(on, today)
    check_length(note, "--note", MAX_TEXT)
    for value in evidence or ():
        check_length(value, "--evidence", MAX_TEXT)
    where = targets(ctx, file, plan, ids)  # the plan file the measures are in
    path, numbers = where.path, where.numbers
    checked = gather(list(evidence or ()), path.parent, Path.cwd())
    who, at = author(by), clock_now()

    def change(ledger: Ledger) -> Ledger:
        required = bool(ledger.plan.require_evidence)  # the plan's `require_evidence = true`
        for number in numbers:
            measure = ledger.get(number)
            on_checked(measure, on, day, today)
            signed = verify_measure(measure, who, at, note, day, checked, required)
            ledger = ledger.replace(signed)
        return ledger

    update_ledger(path, change, numbers)
    say_in(where, _("Verified: {ids}.").format(ids=listed(numbers)))


@app.command()
@reports_errors
def reopen(
    ctx: typer.Context,
    ident: IdArgument,
    note: NoteOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Open a blocked, done, verified or dropped measure again.

    Example: measures reopen 5 --note "接口已开通"
    """
    from measures.domain.changes import reopen as reopen_measure

    number = _one_id(ident)
    check_length(note, "--note", MAX_TEXT)
    who, at = author(by), clock_now()
    after, where = _change_each(
        ctx, file, plan, [ident], lambda m: reopen_measure(m, who, at, note)
    )
    status = status_label(after.get(number).status)
    say_in(where, _("Reopened {id}: now {status}.").format(id=number, status=status))


@app.command()
@reports_errors
def extend(
    ctx: typer.Context,
    ident: IdArgument,
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="The new deadline.")],
    reason: ReasonOption,
    on: OnOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Extend a measure's deadline formally, with a reason; reports count extensions.

    Example: measures extend 5 --to 2021-03-31 --reason "市级系统延期上线"
    """
    from measures.domain.changes import extend as extend_measure
    from measures.domain.dates import parse_date

    today = clock_today()
    number = _one_id(ident)
    new_day = parse_date(to, today, "--to")
    day = on_day(on, today)
    check_length(reason, "--reason", MAX_TEXT)
    who, at = author(by), clock_now()

    def extend_one(measure: Measure) -> Measure:
        on_checked(measure, on, day, today)
        return extend_measure(measure, new_day, reason, who, at, day)

    _after, where = _change_each(ctx, file, plan, [ident], extend_one)
    say_in(where, _("Extended {id} to {day}.").format(id=number, day=format_date(new_day)))


@app.command()
@reports_errors
def note(
    ctx: typer.Context,
    ident: IdArgument,
    text: Annotated[str, argument(grammar.NOTE.arguments[1])],
    on: OnOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Add a progress note to a measure's log.

    Example: measures note 3 "已完成系统测试"
    """
    write = writes.note(_one_id(ident), text, on, by, clock_today(), clock_now)
    _after, where = _change_each(ctx, file, plan, [ident], write.change_one)
    say_in(where, write.said)


@app.command("set")
@reports_errors
def set_(
    ctx: typer.Context,
    ident: IdArgument,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="The title.")] = None,
    title_en: Annotated[
        str | None, typer.Option("--title-en", metavar="TEXT", help="The English title.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="TEXT", help="The lead unit.")
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", metavar="DATE", help="Correct the deadline (not an extension)."),
    ] = None,
    deadline_text: DeadlineTextOption = None,
    partners: PartnerOption = None,
    no_partners: Annotated[
        bool, typer.Option("--no-partners", help="Remove every cooperating unit.")
    ] = False,
    source: Annotated[
        str | None, typer.Option("--source", metavar="TEXT", help="The plan's own words.")
    ] = None,
    note: NoteOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Correct a measure's title, owner, deadline, partners or source; the log keeps the old.

    A new --deadline drops the old date's wording unless --deadline-text gives one.

    Example: measures set 12 --title "工程建设项目审批提速" --owner 区住房和城乡建设局
    """
    from measures.domain.changes import set_fields
    from measures.domain.dates import parse_date
    from measures.ledger.store import change_ledger

    number = _one_id(ident)
    _check_fields(title, title_en, owner, partners, source)
    check_length(deadline_text, "--deadline-text", MAX_DEADLINE_TEXT)
    if partners and no_partners:
        raise BadValue(_("--partner and --no-partners contradict each other."))
    values: dict[str, FieldValue] = {}
    for name, value in (("title", title), ("title_en", title_en), ("owner", owner)):
        if value is not None:
            values[name] = value
    if source is not None:
        values["source"] = source
    if deadline is not None:
        values["deadline"] = parse_date(deadline, clock_today(), "--deadline")
    if deadline_text is not None:
        values["deadline_text"] = deadline_text
    if partners or no_partners:
        values["partners"] = tuple(partners or ())
    if not values:
        raise BadValue(
            _("nothing to set."),
            _(
                "Give at least one of --title, --title-en, --owner, --deadline, "
                "--deadline-text, --partner, --no-partners, --source."
            ),
        )
    check_length(note, "--note", MAX_TEXT)
    who, at = author(by), clock_now()

    def change(ledger: Ledger) -> tuple[Ledger, Measure]:
        measure = set_fields(ledger.get(number), values, who, at, note)
        return ledger.replace(measure), measure

    where = targets(ctx, file, plan, [ident])
    (number,) = where.numbers
    changed = change_ledger(where.path, change, [number])
    new_entries = changed.result.log[len(changed.before.get(number).log) :]
    moved = [entry.field for entry in new_entries if entry.field]
    if moved:
        fields = _(", ").join(field_label(name) for name in moved)
        say_in(where, _("Set on {id}: {fields}.").format(id=number, fields=fields))
    else:
        say_in(
            where, _("Nothing changed: measure {id} already has those values.").format(id=number)
        )


@app.command()
@reports_errors
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The title.")],
    owner: Annotated[
        str, typer.Option("--owner", metavar="TEXT", help='The lead unit ("" if not known yet).')
    ],
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline", metavar="DATE", help="The deadline; may be left out with --deadline-text."
        ),
    ] = None,
    deadline_text: DeadlineTextOption = None,
    ident: Annotated[
        str | None,
        typer.Option("--id", metavar="N", help="The plan's number for it. Default: the next free."),
    ] = None,
    title_en: Annotated[
        str, typer.Option("--title-en", metavar="TEXT", help="The English title.")
    ] = "",
    partners: PartnerOption = None,
    source: Annotated[
        str, typer.Option("--source", metavar="TEXT", help="The plan's own words.")
    ] = "",
    note: NoteOption = None,
    by: ByOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Add a measure (todo) to the ledger, with the next free id unless --id is given.

    With --deadline-text alone the measure is ongoing (长期坚持): never overdue.

    Example: measures add --title "推行证照分离" --owner 区市场监督管理局 --deadline 2021-06-30
    """
    from measures.domain.changes import add_measure
    from measures.domain.dates import parse_date
    from measures.ledger.store import change_ledger

    _check_fields(title, title_en, owner, partners, source)
    check_length(deadline_text, "--deadline-text", MAX_DEADLINE_TEXT)
    fields: dict[str, Any] = {
        "title": title,
        "title_en": title_en,
        "owner": owner,
        "partners": tuple(partners or ()),
        "deadline": None if deadline is None else parse_date(deadline, clock_today(), "--deadline"),
        "deadline_text": deadline_text or "",
        "source": source,
    }
    if ident is not None:
        fields["id"] = _one_id(ident)
    check_length(note, "--note", MAX_TEXT)
    who, at = author(by), clock_now()
    added = change_ledger(
        one_plan(ctx, file, plan, "add"), lambda ledger: add_measure(ledger, fields, who, at, note)
    ).result
    say(_("Added measure {id}: due {day}.").format(id=added.id, day=deadline_label(added)))


@app.command()
@reports_errors
def undo(ctx: typer.Context, file: FileOption = None, plan: PlanOption = None) -> None:
    """Revert the newest change, its log entry included; again, the one before.

    Example: measures undo
    """
    from measures.cli.app import find
    from measures.ledger.workspace import read_single, undo_target

    workspace = find(ctx, file)
    if workspace.folder is None and plan is None:
        path = workspace.plans[0].path  # one ledger: exactly as ever
    else:
        path = undo_target(read_single(workspace).narrowed(plan))
    said = writes.undo(path)
    say_in(Targets(path, [], workspace.several and plan is None), said)
