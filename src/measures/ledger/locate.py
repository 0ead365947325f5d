"""Which ledger a command works on: --file, else $MEASURES_FILE, else the nearest one upwards.

The answer may be a folder: a workspace of plans (`ledger/workspace.py`), named
by --file or $MEASURES_FILE, or a folder `plans/` found on the way up, after
`measures.toml` and before `data/measures.toml`.

Written with `os.path`, not pathlib, so that the quick path (`quick.py`) can find
the ledger without importing pathlib; `store.find_ledger` gives the same as a Path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from measures.errors import InvalidLedger, LedgerNotFound
from measures.i18n import _

LEDGER_NAMES = ("measures.toml", "data/measures.toml")
PLANS_FOLDER = "plans"
ENV_FILE = "MEASURES_FILE"


def locate_ledger(explicit: str | None, environ: Mapping[str, str], cwd: str) -> str:
    """The path of the ledger to use, from the folder `cwd`: a file, or a workspace's folder."""
    for given, origin in ((explicit, "--file"), (environ.get(ENV_FILE) or None, f"${ENV_FILE}")):
        if given is not None:
            path = os.path.join(cwd, os.path.expanduser(given))  # noqa: PTH111, PTH118
            _refuse_special(path)
            if os.path.isdir(path):  # noqa: PTH112
                return path
            if not os.path.isfile(path):  # noqa: PTH113
                raise LedgerNotFound(
                    _("{path}: no such ledger file (named by {origin}).").format(
                        path=given, origin=origin
                    ),
                    _("Check the path, or create a ledger there with `measures init PATH`."),
                )
            return path
    folder = cwd
    while True:
        for name in LEDGER_NAMES:
            candidate = os.path.join(folder, name)  # noqa: PTH118
            if os.path.isfile(candidate):  # noqa: PTH113
                return candidate
            _refuse_special(candidate)
            if name == LEDGER_NAMES[0]:
                plans = os.path.join(folder, PLANS_FOLDER)  # noqa: PTH118
                if os.path.isdir(plans):  # noqa: PTH112
                    return plans
        parent = os.path.dirname(folder)  # noqa: PTH120
        if parent == folder:
            break
        folder = parent
    first, last = LEDGER_NAMES
    raise LedgerNotFound(
        _(
            "no ledger found: looked for {first}, a folder {plans}/ of plans and {last} "
            "in {folder} and its parents."
        ).format(first=first, plans=PLANS_FOLDER, last=last, folder=cwd),
        _("Create one with `measures init`, or name one with --file PATH."),
    )


def _refuse_special(path: str) -> None:
    """A FIFO, device or socket where a ledger belongs is an error, never opened (a FIFO
    would hang the command)."""
    import stat

    try:
        mode = os.stat(path).st_mode  # noqa: PTH116
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InvalidLedger(
            _("{path}: not a regular file, so it cannot be a ledger.").format(path=path),
            _("Name the ledger file itself with --file PATH."),
        )
