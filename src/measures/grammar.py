"""The grammar of the commands the quick path serves, declared once, as data.

They are the reads `list`, `report`, `show` and `log` and the writes `done`,
`start`, `note` and `undo`.

Each option's names, its metavar, its help, whether it takes a value and its
choices are written here and nowhere else. The command line (`cli/`) builds
its typer parameters from these declarations (`cli/app.py`: `option`,
`argument`), and the quick path (`quick.py`) parses by them, without importing
typer: so a new option of these commands is declared here once, and the quick
path leaves it to the full command line until it is taught what the option
means. `tests/test_grammar.py` checks that the click commands typer builds have
exactly these options and arguments, and that the quick path reads every one it
serves as click does.

Only the standard library and `i18n` are imported here: the quick path imports
this module on every command it is offered.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from measures.i18n import LANGUAGES


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    CSV = "csv"
    DOCX = "docx"  # the bulletin (通报) in Word: a file, with --output


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


# Named tuples, not dataclasses: a frozen dataclass costs about 1.4 ms to define,
# three of them a fifth of `python -I -c pass`, on the quick path's start-up.
class Option(NamedTuple):
    """An option: `key` is the name of the command function's parameter it fills."""

    key: str
    names: tuple[str, ...]  # the long name first
    help: str
    metavar: str | None = None
    flag: bool = False  # takes no value
    choices: tuple[str, ...] = ()  # the values it takes; empty: any text
    repeatable: bool = False


class Argument(NamedTuple):
    key: str
    metavar: str
    help: str
    required: bool
    many: bool = False  # takes every word left (`done 3 4 5`)
    text: bool = False  # any text (`note 3 TEXT`); else a measure's id


class Command(NamedTuple):
    name: str
    options: tuple[Option, ...]
    arguments: tuple[Argument, ...] = ()

    def option(self, key: str) -> Option:
        return next(option for option in self.options if option.key == key)


def _values(choices: type[StrEnum]) -> tuple[str, ...]:
    return tuple(choice.value for choice in choices)


FILE = Option(
    "file",
    ("--file", "-f"),
    metavar="PATH",
    help="The ledger file, or a folder of plans. Default: $MEASURES_FILE, else measures.toml, "
    "plans/ or data/measures.toml here or in the nearest parent folder.",
)
# Taken after a command's name too (cli/framework.py: `take_language`).
LANG = Option(
    "lang",
    ("--lang",),
    help="The language to speak: zh (Chinese) or en. Default: from LC_ALL, LC_MESSAGES or LANG.",
    choices=LANGUAGES,
)
VERSION = Option("version", ("--version",), flag=True, help="Show the version.")
AS_OF = Option(
    "as_of",
    ("--as-of",),
    metavar="DATE",
    help="The ledger as its log says it stood at the end of DATE; overdue against DATE.",
)
PLAN = Option(
    "plan",
    ("--plan",),
    metavar="KEY",
    help="In a workspace of several plans: only the plan with this key.",
)
OUTPUT = Option("to", ("--output", "-o"), metavar="FILE", help="Write to FILE instead of stdout.")

_SORT_KEYS = ("id", "deadline", "owner", "status")

MAIN = Command("measures", (FILE, LANG, VERSION))

LIST = Command(
    "list",
    (
        Option(
            "status",
            ("--status", "-s"),
            metavar="STATUS",
            help="Only measures with this status (repeatable): todo, doing, blocked, done, "
            "verified or dropped, or its Chinese name (未启动, 推进中, …).",
            repeatable=True,
        ),
        Option(
            "owner", ("--owner",), metavar="TEXT", help="Only measures whose owner contains TEXT."
        ),
        Option("overdue", ("--overdue",), flag=True, help="Only overdue measures."),
        Option(
            "due_within",
            ("--due-within",),
            metavar="DAYS",
            help="Only open measures due from today to DAYS days ahead.",
        ),
        Option(
            "search",
            ("--search",),
            metavar="TEXT",
            help="Only measures with TEXT in the title, English title, owner, a partner "
            "or a log note.",
        ),
        Option(
            "stale",
            ("--stale",),
            metavar="DAYS",
            help="Only open measures with no log entry in the last DAYS days, or none at all.",
        ),
        Option(
            "light",
            ("--light",),
            metavar="LIGHT",
            help="Only measures with this traffic light (repeatable): red, yellow or green, "
            "or 红, 黄, 绿 (红灯, …).",
            repeatable=True,
        ),
        # The values of queries.SortKey (the test checks it), spelt out: importing
        # queries here would cost `report`, `show` and `log` on the quick path 1-2 ms.
        Option("sort", ("--sort",), help="Order of the rows.", choices=_SORT_KEYS),
        AS_OF,
        Option("output", ("--format",), help="Output format.", choices=_values(ListFormat)),
        FILE,
        Option(
            "unit",
            ("--unit",),
            metavar="NAME",
            help="Only measures this unit leads or partners (part of its name).",
        ),
        Option(
            "partner",
            ("--partner",),
            metavar="NAME",
            help="Only measures with a partner whose name contains NAME.",
        ),
        PLAN,
    ),
)

REPORT = Command(
    "report",
    (
        Option("overdue", ("--overdue",), flag=True, help="Only the table of overdue measures."),
        Option(
            "due_within",
            ("--due-within",),
            metavar="DAYS",
            help="Due soon: open measures due within DAYS.",
        ),
        AS_OF,
        Option(
            "since",
            ("--since",),
            metavar="DATE",
            help="Add what changed from DATE on: newly complete, extended, blocked, dropped, "
            "new notes.",
        ),
        Option("output", ("--format",), help="Output format.", choices=_values(ReportFormat)),
        OUTPUT,
        FILE,
        PLAN,
    ),
)

_SHOW_FORMAT = Option("output", ("--format",), help="Output format.", choices=_values(ShowFormat))

ID = Argument("ident", "ID", help="The measure's id.", required=True)

SHOW = Command("show", (_SHOW_FORMAT, FILE, PLAN), (ID,))

LOG = Command(
    "log",
    (
        Option("since", ("--since",), metavar="DATE", help="Only entries made on or after DATE."),
        _SHOW_FORMAT,
        FILE,
        PLAN,
    ),
    (Argument("ident", "ID", help="Only this measure's entries.", required=False),),
)

# The writes: each one a locked, atomic, logged change of one ledger.
IDS = Argument("ids", "ID...", help="The measures' ids.", required=True, many=True)
LOG_NOTE = Option("note", ("--note",), metavar="TEXT", help="A note for the log.")
BY = Option("by", ("--by",), metavar="NAME", help="Who makes the change. Default: your login name.")
ON = Option(
    "on",
    ("--on",),
    metavar="DATE",
    help="The day it happened, if not today: not in the future, not before the measure was added.",
)

DONE = Command(
    "done",
    (
        Option("on", ("--on",), metavar="DATE", help="The day it was completed. Default: today."),
        LOG_NOTE,
        Option("by", ("--by",), metavar="NAME", help="Who reports it. Default: you."),
        FILE,
        PLAN,
    ),
    (IDS,),
)

START = Command("start", (LOG_NOTE, ON, BY, FILE, PLAN), (IDS,))

NOTE = Command(
    "note",
    (ON, BY, FILE, PLAN),
    (ID, Argument("text", "TEXT", help="The note.", required=True, text=True)),
)

UNDO = Command("undo", (FILE, PLAN))

CHECK = Command("check", (FILE, PLAN))

COMMANDS = {
    command.name: command for command in (LIST, REPORT, SHOW, LOG, DONE, START, NOTE, UNDO, CHECK)
}
