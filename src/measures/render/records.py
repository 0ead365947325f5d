"""Measures and reports as JSON-ready dictionaries: the stable shapes of `--format json`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from measures.model.records import as_dict
from measures.model.status import days_overdue, is_overdue

if TYPE_CHECKING:
    from measures.domain.cadence import Since
    from measures.domain.history import Event
    from measures.domain.lights import Rules
    from measures.domain.reports import OwnerRow, Report
    from measures.model.records import Measure


def measure_record(measure: Measure, today: date, rules: Rules | None = None) -> dict[str, Any]:
    """Every field of the measure, its log included, plus `overdue`, `days_overdue` and
    `light` (red, yellow, green, or null for a dropped measure) by the plan's `rules`."""
    from measures.domain.lights import Rules, light

    record = as_dict(measure, json=True)
    record["overdue"] = is_overdue(measure, today)
    record["days_overdue"] = days_overdue(measure, today)
    shown = light(measure, today, rules or Rules())
    record["light"] = None if shown is None else shown.value
    return record


def to_json(value: Any) -> str:
    """`value` as indented JSON text; pydantic-core writes it, many times faster than json."""
    return json_bytes(value).decode("utf-8")


def json_bytes(value: Any) -> bytes:
    """`value` as indented UTF-8 JSON, ending in a newline."""
    from pydantic_core import to_json as dump

    return dump(value, indent=2) + b"\n"


CHUNK = 1000  # records serialised at a time by write_json_list
# Fewer records than this are written by the standard library's json, which gives
# the same bytes for what a record holds (text, whole numbers, true, false, null:
# no floats) and spares a plan's list the import of pydantic-core.
COMPILED_FROM = 200


def records_json(records: list[Any]) -> bytes:
    """`json_bytes(records)` for a list of measure records (`measure_record`)."""
    if len(records) >= COMPILED_FROM:
        return json_bytes(records)
    import json

    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_json_list(items: Iterable[Any], stream: IO[str]) -> None:
    """A JSON array of `items`, exactly as `to_json(list(items))`, written a chunk at a time.

    Neither the whole list of dictionaries nor its whole text is ever in memory,
    and the text goes out as bytes where the stream takes them (Chinese text as
    a Python string takes twice its UTF-8 size again).
    """
    from itertools import islice

    binary = getattr(stream, "buffer", None)
    if binary is not None:
        stream.flush()
    iterator = iter(items)
    first = True
    while chunk := list(islice(iterator, CHUNK)):
        # `[\n  {...},\n  {...}\n]`: the lines inside the brackets are already
        # indented as they are inside the whole array.
        inner = records_json(chunk)[2:-3]
        piece = (b"[\n" if first else b",\n") + inner
        first = False
        if binary is not None:
            binary.write(piece)
        else:
            stream.write(piece.decode("utf-8"))
    end = b"[]\n" if first else b"\n]\n"
    if binary is not None:
        binary.write(end)
        binary.flush()
    else:
        stream.write(end.decode("utf-8"))


def report_record(report: Report, overdue_only: bool = False) -> dict[str, Any]:
    """The report as JSON-ready data; with `overdue_only`, the overdue list alone.

    The shape is documented in docs/reports.md and pinned by a test: add keys
    freely, never rename or retype one.
    """
    overdue = [
        {
            **_brief(measure),
            "days_overdue": days,
            "deadline_text": measure.deadline_text,
            "owner_basis": measure.owner_basis,
        }
        for measure, days in report.overdue
    ]
    if report.overdue_plans:
        overdue = [
            {"plan": key, **item} for key, item in zip(report.overdue_plans, overdue, strict=True)
        ]
    if overdue_only:
        return {"as_of": report.as_of.isoformat(), "overdue": overdue}
    whole = _report_record(report, overdue)
    if report.due_soon_plans:
        whole["due_soon"] = [
            {"plan": key, **item}
            for key, item in zip(report.due_soon_plans, whole["due_soon"], strict=True)
        ]
    if report.plans:
        whole["by_plan"] = [
            {"plan": row.owner, **_counts(row), "lights": _lights(row)} for row in report.plans
        ]
        whole["by_unit"] = [
            {
                "unit": row.unit,
                "owner": {
                    "total": row.led,
                    "complete": row.led_complete,
                    "overdue": row.led_overdue,
                },
                "partner": {
                    "total": row.partnered,
                    "complete": row.partnered_complete,
                    "overdue": row.partnered_overdue,
                },
            }
            for row in report.units
        ]
    return whole


def _counts(row: OwnerRow) -> dict[str, Any]:
    """A row of the table by owner (or by plan) as JSON: its counts and completion rate."""
    return {
        "total": row.total,
        "complete": row.complete,
        "done": row.done,
        "verified": row.verified,
        "in_progress": row.in_progress,
        "overdue": row.overdue,
        "extended": row.extended,
        "completion_rate": round(row.rate, 4),
    }


def _lights(row: OwnerRow) -> dict[str, int]:
    return {"red": row.red, "yellow": row.yellow, "green": row.green}


def _report_record(report: Report, overdue: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "plan": report.plan,
        "issued": report.issued.isoformat() if report.issued else None,
        "as_of": report.as_of.isoformat(),
        "declared": report.declared,
        "total": report.total,
        "complete": report.complete,
        "done": report.done,
        "verified": report.verified,
        "in_progress": report.in_progress,
        "completion_rate": round(report.rate, 4),
        "by_status": {status.value: count for status, count in report.by_status.items()},
        "by_owner": [
            {
                "owner": row.owner,
                **_counts(row),
                "owner_basis": row.owner_basis,
                "lights": _lights(row),
            }
            for row in report.owners
        ],
        "overdue": overdue,
        "due_within": report.due_within,
        "due_soon": [
            {
                **_brief(measure),
                "days_left": left,
                "deadline_text": measure.deadline_text,
                "owner_basis": measure.owner_basis,
            }
            for measure, left in report.due_soon
        ],
        "burnup": [
            {
                "date": point.day.isoformat(),
                "complete": point.complete,
                "verified": point.verified,
                "due": point.due,
            }
            for point in report.burnup
        ],
        # Owners whose every measure was dropped: in `by_owner` (last), but with no rate to rank.
        "uncounted_owners": [row.owner for row in report.uncounted_owners],
        # The plan's provenance, as `[plan]` gives it ("" where it does not).
        "district": report.district,
        "source": report.source,
        "notes": report.notes,
        # The units with open measures that have not reported this period; null when the
        # plan sets no `report_every`.
        "not_reported": None if report.not_reported is None else list(report.not_reported),
        "since": None if report.since is None else _since_record(report.since),
        # How many measures show each traffic light (a dropped one shows none).
        "lights": {light.value: count for light, count in report.lights.items()},
    }


def _since_record(since: Since) -> dict[str, Any]:
    """What changed since a day: each kind a list of measures with the day and the note."""
    kinds = {
        "completed": since.completed,
        "extended": since.extended,
        "blocked": since.blocked,
        "dropped": since.dropped,
        "notes": since.notes,
    }
    return {
        "day": since.day.isoformat(),
        **{
            kind: [
                {**_brief(item.measure), "day": item.day.isoformat(), "note": item.note}
                for item in items
            ]
            for kind, items in kinds.items()
        },
    }


def _brief(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.id,
        "title": measure.title,
        "owner": measure.owner,
        # Dated: an ongoing measure is never overdue, nor due soon.
        "deadline": measure.deadline.isoformat() if measure.deadline else "",
        "status": measure.status.value,
    }


def event_record(event: Event) -> dict[str, Any]:
    """A log entry as `log --format json` prints it: the measure's `id`, then the entry."""
    record = {"id": event.measure_id, **as_dict(event.entry, json=True)}
    return record if event.plan is None else {"plan": event.plan, **record}
