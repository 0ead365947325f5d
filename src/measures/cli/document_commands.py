"""Documents to send: the reminder notice (督办通知单) to a unit, over every plan it works on."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from measures.cli.app import (
    AsOfOption,
    FileOption,
    PlanOption,
    app,
    open_plans,
    reports_errors,
    say,
    views_as_of,
)
from measures.errors import BadValue
from measures.i18n import _
from measures.model.records import MAX_NAME
from measures.writes import check_length, clock_today

if TYPE_CHECKING:
    from measures.domain.notice import Notice


class NoticeFormat(StrEnum):
    DOCX = "docx"
    MARKDOWN = "markdown"
    HTML = "html"


def notice_bytes(notice: Notice, output: NoticeFormat) -> bytes:
    from measures.render.docx_notice import notice_docx, notice_html, notice_markdown

    if output is NoticeFormat.DOCX:
        return notice_docx(notice)
    text = notice_markdown(notice) if output is NoticeFormat.MARKDOWN else notice_html(notice)
    return text.encode("utf-8")


@app.command()
@reports_errors
def notice(
    ctx: typer.Context,
    unit: Annotated[
        str | None,
        typer.Argument(
            metavar="UNIT",
            help="The unit: its name as the ledger or units.toml writes it (or a part of one).",
        ),
    ] = None,
    output: Annotated[
        NoticeFormat, typer.Option("--format", help="File format.")
    ] = NoticeFormat.DOCX,
    to: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="The file to write (docx: needed)."),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="A notice to every unit with a red or yellow measure."),
    ] = False,
    output_dir: Annotated[
        str | None,
        typer.Option("--output-dir", metavar="DIR", help="With --all: the folder to write to."),
    ] = None,
    reply_by: Annotated[
        str | None,
        typer.Option("--reply-by", metavar="DATE", help="The day the reply is due. Default: +7d."),
    ] = None,
    number: Annotated[
        str | None,
        typer.Option("--number", metavar="TEXT", help="The notice's number: 督办〔2026〕第3号."),
    ] = None,
    office: Annotated[
        str | None,
        typer.Option("--from", metavar="OFFICE", help="The office that issues the notice."),
    ] = None,
    as_of: AsOfOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Write the supervision notice (督办通知单) to a unit: its red and yellow measures.

    Example: measures notice 区税务局 --output 区税务局.docx --reply-by 2026-03-10
    """
    from measures.domain.dates import parse_date
    from measures.domain.notice import build_notice, check_unit, file_name, units_to_notify
    from measures.domain.plans import units_of
    from measures.ledger.store import STDOUT, write_output

    check_length(unit, "UNIT", MAX_NAME)
    check_length(number, "--number", MAX_NAME)
    check_length(office, "--from", MAX_NAME)
    if every == (unit is not None):
        raise BadValue(
            _("Name one unit, or give --all for every unit that owes something."),
            _("Example: measures notice 区税务局 --output 区税务局.docx"),
        )
    if every and output_dir is None:
        raise BadValue(_("--all writes one file per unit: give --output-dir DIR."))
    if not every and output_dir is not None:
        raise BadValue(_("--output-dir goes with --all; for one unit use --output FILE."))
    if every and to is not None:
        raise BadValue(_("--output names one file; with --all use --output-dir DIR."))
    if output is NoticeFormat.DOCX and not every and (to is None or to == STDOUT):
        raise BadValue(
            _("A Word notice is a file: give --output FILE, or --format markdown or html."),
        )
    workspace = open_plans(ctx, file, plan)
    views, today = views_as_of(workspace, as_of)
    # Over several plans each measure is named KEY:ID; --plan narrows to one.
    plans = [(view.key, view.ledger) for view in views]
    names = units_of(workspace)
    due = parse_date(reply_by, clock_today(), "--reply-by") if reply_by is not None else None
    if due is not None and due < today:
        raise BadValue(
            _("--reply-by {value}: that is before the notice's day, {day}.").format(
                value=reply_by, day=today.isoformat()
            )
        )

    def made_for(name: str) -> Notice:
        return build_notice(plans, name, today, due, number or "", office or "", names)

    if not every:
        assert unit is not None
        built = made_for(check_unit(plans, unit, names))
        data = notice_bytes(built, output)
        if to is None or to == STDOUT:
            sys.stdout.write(data.decode("utf-8"))
            return
        write_output(Path(to).expanduser(), data)
        say(
            ngettext_owed(len(built.items)).format(unit=built.unit, count=len(built.items), path=to)
        )
        return
    assert output_dir is not None
    folder = Path(output_dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise BadValue(_("--output-dir {path}: not a folder.").format(path=output_dir))
    owing = units_to_notify(plans, today)
    # Every notice is made before the first is written: a failure writes none.
    made = [(file_name(name, output.value), notice_bytes(made_for(name), output)) for name in owing]
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in made:
        write_output(folder / name, data)
        sys.stdout.write(str(folder / name) + "\n")
    say(_("Wrote {count} notices to {path}.").format(count=len(made), path=output_dir))


def ngettext_owed(count: int) -> str:
    from measures.i18n import ngettext

    return ngettext(
        "Wrote the notice to {unit}, {count} measure owed, to {path}.",
        "Wrote the notice to {unit}, {count} measures owed, to {path}.",
        count,
    )
