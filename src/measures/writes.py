"""`done`, `start`, `note` and `undo` as the command line and the quick path both carry them out.

Each write takes its options as typed, checks them, and gives back the change
to make to each measure and the words that say it was made (`Write`); the
caller finds the file and the ids (the command line in a workspace too, by
`KEY:ID`; the quick path in one ledger file), makes the change through
`store.change_ledger`, and then says it. So the checks, the refusals and the
words are the same whichever of the two carried out the command.

Only the standard library, the model and `i18n` are imported at the top: the
quick path imports this module on every write it is offered.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from measures.errors import BadValue, typed
from measures.i18n import _, ngettext
from measures.model.records import MAX_NAME, MAX_TEXT

if TYPE_CHECKING:
    from pathlib import Path

    from measures.model.records import Measure

Clock = Callable[[], datetime]


class Write(NamedTuple):
    """The change a write makes to each measure it names, and what it says once made."""

    change_one: Callable[[Measure], Measure]
    said: str


def done(
    numbers: list[int], on: str | None, note: str | None, by: str | None, today: date, now: Clock
) -> Write:
    """`done ID... [--on DATE] [--note TEXT] [--by NAME]`."""
    from measures.domain.changes import FutureDay, check_done_on, mark_done
    from measures.domain.labels import format_date

    day = on_day(on, today) or today
    try:
        check_done_on(day, today)
    except FutureDay:
        raise BadValue(
            _("--on {value}: {day} is in the future.").format(value=on, day=format_date(day))
        ) from None
    check_length(note, "--note", MAX_TEXT)
    who, at = author(by), now()

    def done_one(measure: Measure) -> Measure:
        on_checked(measure, on, day, today)
        return mark_done(measure, day, who, at, note)

    said = _("Marked done on {day}: {ids}.").format(day=format_date(day), ids=listed(numbers))
    return Write(done_one, said)


def start(
    numbers: list[int], note: str | None, on: str | None, by: str | None, today: date, now: Clock
) -> Write:
    """`start ID... [--note TEXT] [--on DATE] [--by NAME]`."""
    from measures.domain.changes import start as start_work

    day = on_day(on, today)
    check_length(note, "--note", MAX_TEXT)
    who, at = author(by), now()

    def start_one(measure: Measure) -> Measure:
        on_checked(measure, on, day, today)
        return start_work(measure, who, at, note, day)

    return Write(start_one, _("Started: {ids}.").format(ids=listed(numbers)))


def note(number: int, text: str, on: str | None, by: str | None, today: date, now: Clock) -> Write:
    """`note ID TEXT [--on DATE] [--by NAME]`."""
    from measures.domain.changes import add_note

    day = on_day(on, today)
    check_length(text, "TEXT", MAX_TEXT)
    who, at = author(by), now()

    def note_one(measure: Measure) -> Measure:
        on_checked(measure, on, day, today)
        return add_note(measure, text, who, at, day)

    return Write(note_one, _("Noted on {id}.").format(id=number))


def undo(path: Path) -> str:
    """`undo`: the newest recorded write to `path` reverted; what says so."""
    from measures.domain.history import describe_recorded
    from measures.ledger.store import undo_last

    what, left = undo_last(path)
    summary = describe_recorded(what)
    said = ngettext(
        "Undone: {summary}. {count} earlier change can be undone.",
        "Undone: {summary}. {count} earlier changes can be undone.",
        left,
    ).format(summary=summary, count=left)
    return said


def in_plan(path: Path) -> str:
    """The line said before what a write did, in a workspace: the plan file it went to."""
    return _("In {path}:").format(path=path.name)


def author(by: str | None) -> str:
    """--by as given (refused if longer than a name may be), else the login name."""
    check_length(by, "--by", MAX_NAME)
    return by or login()


def on_day(on: str | None, today: date) -> date | None:
    """--on as a day, or None when not given."""
    if on is None:
        return None
    from measures.domain.dates import parse_date

    return parse_date(on, today, "--on")


def on_checked(measure: Measure, on: str | None, day: date | None, today: date) -> None:
    """The backdating rule (domain/changes.py `check_on`), its refusal naming --on as typed."""
    from measures.domain.changes import check_on

    if on is None or day is None:
        return
    try:
        check_on(measure, day, today)
    except BadValue as error:
        raise BadValue(
            _("--on {value}: {problem}.").format(value=on, problem=error.message), error.hint
        ) from None


def listed(numbers: list[int]) -> str:
    return _(", ").join(str(n) for n in numbers)


def login() -> str:
    """Who is running this: as `getpass.getuser()` finds it (the variables LOGNAME, USER,
    LNAME, USERNAME, then the account), without importing getpass; `unknown` if no one."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        name = os.environ.get(variable)
        if name:
            return name
    try:
        import pwd

        return pwd.getpwuid(os.getuid())[0]
    except (ImportError, KeyError, OSError):  # no pwd (Windows), or no such account
        return "unknown"


def clock_today() -> date:
    return date.today()


def clock_now() -> datetime:
    """Now, in the local UTC offset; in UTC where the offset has seconds (TOML has none)."""
    from datetime import UTC

    now = datetime.now().astimezone().replace(microsecond=0)
    offset = now.utcoffset()
    return now.astimezone(UTC) if offset is not None and offset.seconds % 60 else now


def parse_ids(values: list[str]) -> list[int]:
    """Measure ids as typed, each a positive whole number, duplicates dropped."""
    ids: list[int] = []
    for value in values:
        text = value.strip()
        number = 0
        if text.isdecimal():
            try:
                number = int(text.lstrip("0") or "0")
            except ValueError:  # over 4,300 digits, more than Python reads as a number
                message = _("{value} is not a measure id: it has more digits than any id can have.")
                raise BadValue(message.format(value=typed(value))) from None
        if number == 0:
            raise BadValue(
                _(
                    "{value} is not a measure id: an id is a positive whole number such as 3."
                ).format(value=typed(value))
            )
        if number not in ids:
            ids.append(number)
    return ids


def check_length(value: str | None, option: str, limit: int) -> None:
    """Refuse `value`, as typed for `option`, if it is longer than the ledger allows."""
    if value is not None and len(value) > limit:
        raise BadValue(
            _("{option} is {length} characters long; at most {limit} are allowed.").format(
                option=option, length=len(value), limit=limit
            )
        )
