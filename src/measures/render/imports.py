"""What an import would change, in words, for `import --dry-run`: plain lines, no rich."""

from __future__ import annotations

from datetime import date

from measures.domain.labels import action_label, format_date, status_label
from measures.exchange.columns import field_label
from measures.exchange.table import ImportFile, ImportSummary, partners_cell
from measures.i18n import _
from measures.model.records import Action, FieldValue, Ledger, Measure, Status


def _value(field: str | None, value: FieldValue | None) -> str:
    if value is None or value == "" or value == ():
        return _("(none)")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, tuple | list):
        return partners_cell([str(name) for name in value])
    if field == "status" and isinstance(value, str):
        return status_label(Status(value))
    return str(value)


def columns_line(file: ImportFile) -> str:
    """Which column was read as which field: `A 序号 → id, …`, and what 完成时间 was."""
    header = file.header
    if header is None:
        return ""
    read = [
        _("{column} → {field}").format(column=c.label, field=field_label(c.field))
        for c in header.columns
        if c is not None
    ]
    line = _("Columns read: {columns}.").format(columns=_(", ").join(read))
    if header.done_time == "done_on":
        line += " " + _("完成时间 is read as the day done, beside the deadline column.")
    elif header.done_time == "deadline":
        line += " " + _("完成时间 is read as the deadline (the sheet has no other).")
    return line


def import_changes(
    before: Ledger, after: Ledger, file: ImportFile, summary: ImportSummary
) -> list[str]:
    """The lines `--dry-run` prints: the columns, then each measure added or changed."""
    lines = [columns_line(file)] if file.header is not None else []
    if file.ignored:
        lines.append(_("Columns not read: {columns}.").format(columns=_(", ").join(file.ignored)))
    old = {m.id: m for m in before.measures}
    new = {m.id: m for m in after.measures}
    for ident in summary.added:
        measure = new[ident]
        lines.append(_("+ measure {id} added: {title}").format(id=ident, title=measure.title))
        lines += _entries(measure, 1)
    for ident in summary.updated:
        measure = new[ident]
        lines.append(_("~ measure {id}: {title}").format(id=ident, title=measure.title))
        lines += _entries(measure, len(old[ident].log))
    if not summary.added and not summary.updated:
        lines.append(_("Nothing would change."))
    lines.append(
        _(
            "Dry run: {added} added, {updated} updated, {unchanged} unchanged; nothing written."
        ).format(
            added=len(summary.added),
            updated=len(summary.updated),
            unchanged=len(summary.unchanged),
        )
    )
    return lines


def _entries(measure: Measure, start: int) -> list[str]:
    """The log entries from `start` on, one line each, indented."""
    lines: list[str] = []
    for entry in measure.log[start:]:
        if entry.action is Action.SET and entry.field and entry.field != "status":
            text = _("{field}: {old} → {new}").format(
                field=field_label(entry.field),
                old=_value(entry.field, entry.old),
                new=_value(entry.field, entry.new),
            )
        elif entry.action is Action.NOTE:
            first, *rest = (entry.note or "").split("\n")
            lines.append("    " + _("note: {note}").format(note=first))
            lines += ["      " + line for line in rest]
            continue
        elif entry.from_ is not None and entry.to is not None:
            text = _("{action}: {old} → {new}").format(
                action=action_label(entry.action),
                old=status_label(entry.from_),
                new=status_label(entry.to),
            )
            if entry.action in (Action.BLOCK, Action.DROP) and entry.note:
                text += " " + _("({reason})").format(reason=entry.note)
        else:
            continue
        lines.append("    " + text)
    return lines
