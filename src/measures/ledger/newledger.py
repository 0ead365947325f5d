"""New ledgers: the plan the project ships, or an empty one, written without overwriting."""

from __future__ import annotations

import os
from pathlib import Path

from measures.errors import BadValue, Conflict, WriteFailed
from measures.i18n import _

SHIPPED_PLAN = "kunqu-2020.toml"
DEFAULT_NAME = "新的行动方案"


def shipped_plan() -> bytes:
    """The shipped district plan (the same bytes as data/measures.toml in the repository)."""
    from importlib.resources import files

    return (files("measures") / "plans" / SHIPPED_PLAN).read_bytes()


def empty_ledger(name: str) -> str:
    """A ledger with a [plan] table named `name` and no measures yet.

    The text is read back as every command reads a ledger before it is handed
    on: a name the model refuses is refused here, before anything is written.
    """
    import tomli_w

    from measures.model.parse import parse_ledger
    from measures.model.records import MAX_TITLE

    if not name.strip():
        raise BadValue(_("--name must not be empty."))
    if len(name) > MAX_TITLE:
        raise BadValue(
            _("{option} is {length} characters long; at most {limit} are allowed.").format(
                option="--name", length=len(name), limit=MAX_TITLE
            )
        )
    header = (
        "# The ledger (台账) of an action plan, kept with `measures`.\n"
        "# Add a measure: measures add --title TITLE --owner UNIT --deadline DATE\n\n"
    )
    text = header + tomli_w.dumps({"plan": {"name": name}})
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadValue(_("--name is not UTF-8 text.")) from None
    parse_ledger(text, "--name")
    return text


def create(path: Path, data: bytes) -> None:
    """Write a new file at `path`; never replace one that is there."""
    if path.exists():
        raise Conflict(
            _("{path} already exists; nothing was written.").format(path=path),
            _("Choose another path, or move the file away first."),
        )
    try:
        # "x" creates the file or fails if it exists, even if one appeared just now.
        with path.open("xb") as handle:
            try:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            except OSError:
                handle.close()
                path.unlink(missing_ok=True)
                raise
    except FileExistsError:
        raise Conflict(_("{path} already exists; nothing was written.").format(path=path)) from None
    except FileNotFoundError:
        raise WriteFailed(
            _("{path}: no such folder; nothing was written.").format(path=path.parent),
            _("Create the folder first, or give another path."),
        ) from None
    except OSError as error:
        raise WriteFailed(
            _("{path}: cannot write ({reason}); nothing was written.").format(
                path=path, reason=error.strerror
            )
        ) from None
