"""Evidence (佐证材料) for a sign-off: files by their path and SHA-256, or URLs.

`verify --evidence` records what the office checked; `check` says when a file
recorded has gone or changed since. Paths are kept relative to the ledger's
folder, with `/`, so that the ledger and its evidence move together.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from measures.domain.checks import Level, Problem
from measures.errors import BadValue, typed
from measures.i18n import _
from measures.model.records import Action, Evidence, Ledger

_URL_SCHEMES = ("http://", "https://")
_CHUNK = 1 << 20


def is_url(text: str) -> bool:
    return text.lower().startswith(_URL_SCHEMES)


def file_hash(path: Path) -> str:
    """The SHA-256 of the file's bytes, as 64 hexadecimal digits."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def gather(values: list[str], folder: Path, cwd: Path) -> tuple[Evidence, ...]:
    """The evidence `--evidence` names: each URL as given, each file by path and hash.

    A file is found from `cwd` (where the command runs) and recorded by its
    path from `folder` (the ledger's). A file that is missing, is not a regular
    file, or lies outside the ledger's folder is refused, quoting the value typed.
    """
    found: list[Evidence] = []
    for value in values:
        if is_url(value):
            if len(value.split("//", 1)[1].strip()) == 0 or any(c.isspace() for c in value):
                raise BadValue(
                    _("--evidence {value}: not a URL.").format(value=typed(value)),
                    _("Give a web address such as https://example.gov.cn/doc/1."),
                )
            found.append(Evidence(url=value))
            continue
        path = cwd / value
        if not path.is_file():
            raise BadValue(
                _("--evidence {value}: no such file.").format(value=typed(value)),
                _("Give a file that exists (a path from here), or a URL (https://…)."),
            )
        try:
            relative = path.resolve().relative_to(folder.resolve())
        except ValueError:
            raise BadValue(
                _("--evidence {value}: the file is outside the ledger's folder {folder}.").format(
                    value=typed(value), folder=folder.resolve()
                ),
                _("Keep evidence beside the ledger (佐证/…), so that the two move together."),
            ) from None
        try:
            digest = file_hash(path)
        except OSError as error:
            raise BadValue(
                _("--evidence {value}: cannot be read ({reason}).").format(
                    value=typed(value), reason=error.strerror
                )
            ) from None
        found.append(Evidence(path=PurePosixPath(relative).as_posix(), sha256=digest))
    return tuple(found)


def evidence_problems(ledger: Ledger, folder: Path, name: str) -> list[Problem]:
    """A warning for each file recorded as evidence that is missing or whose hash changed."""
    problems = []
    for measure in ledger.measures:
        for entry in measure.log:
            if entry.action is not Action.VERIFY or not entry.evidence:
                continue
            for item in entry.evidence:
                if item.path is None:
                    continue
                where = _("{path}, measure {id}").format(path=name, id=measure.id)
                path = folder / item.path
                try:
                    digest = file_hash(path)
                except OSError:
                    message = _("evidence file {path} is missing").format(path=item.path)
                else:
                    if digest == item.sha256:
                        continue
                    message = _(
                        "evidence file {path} has changed since it was checked (SHA-256 differs)"
                    ).format(path=item.path)
                problems.append(Problem(Level.WARNING, where, message))
    return problems
