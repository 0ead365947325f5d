"""Finding the ledger, reading and validating it, and writing it back safely.

A write happens under a lock held from the read to the rename, goes to a
temporary file in the same folder, is flushed to disk and then renamed over the
ledger, so the file on disk is always either the old ledger or the new one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from measures.errors import Conflict, InvalidLedger, LedgerNotFound, MeasuresError, WriteFailed
from measures.i18n import _
from measures.ledger.locate import locate_ledger
from measures.ledger.state import STATE_FOLDER, state_file
from measures.model.records import Ledger

if TYPE_CHECKING:
    from measures.ledger import snapshot

LOCK_TIMEOUT_SECONDS = 60.0
# Bytes to write: whole, or in pieces (views of a ledger's old bytes and a new block).
Buffers = bytes | Sequence[bytes | memoryview]
_TEMPORARY_PREFIX = "."  # temporaries are hidden files beside the file they replace
_STATE_GITIGNORE = "# The write lock and undo journal of `measures`: never committed.\n*\n"


@dataclass(frozen=True)
class LoadedLedger:
    path: Path
    text: str
    ledger: Ledger
    # For a write: the snapshot of these bytes, if one was kept (see change_ledger).
    kept: snapshot.Kept | None = None


def find_ledger(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """The ledger to use: --file, else $MEASURES_FILE, else the nearest one found upwards."""
    return Path(locate_ledger(explicit, environ, str(cwd)))


# Set while a write reads the ledger under its lock (see `_read`). A flag rather
# than an argument, so that the write's read still goes through `read_ledger`.
_WRITING: ContextVar[bool] = ContextVar("writing", default=False)


def read_ledger(path: Path) -> LoadedLedger:
    """Read and validate the ledger at `path`; every failure is an InvalidLedger."""
    return _read(path, for_write=_WRITING.get())


def _read(path: Path, for_write: bool) -> LoadedLedger:
    """`read_ledger`; `for_write`: with the snapshot's starts and rows, and none saved.

    A write replaces these bytes at once and keeps the snapshot of the new ones:
    a snapshot of the old ones, made only to be replaced, would be time lost.
    """
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        raise LedgerNotFound(_("{path}: no such ledger file.").format(path=path)) from None
    except OSError as error:
        raise InvalidLedger(
            _("{path}: cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidLedger(
            _("{path}, line {line}: the file is not UTF-8 text (byte {byte}).").format(
                path=path, line=line, byte=error.start
            ),
            _("Save it as UTF-8 (in Excel or WPS: Save As, encoding UTF-8)."),
        ) from None
    from measures.ledger import snapshot
    from measures.model.parse import parse_ledger  # not needed where a snapshot is kept

    if for_write:
        kept = snapshot.load_kept(path, raw)
        if kept is not None:
            return LoadedLedger(path, text, kept.ledger, kept)
        return LoadedLedger(path, text, parse_ledger(text, str(path)))
    ledger = snapshot.load(path, raw)
    if ledger is None:
        ledger = parse_ledger(text, str(path))
        starts, offsets = _places(raw, text, len(ledger.measures))
        snapshot.save(path, raw, ledger, starts, offsets=offsets)
    return LoadedLedger(path, text, ledger)


def _places(raw: bytes, text: str, count: int) -> tuple[list[int] | None, list[int] | None]:
    """Where the records of a big ledger begin, as characters and as bytes, for its
    snapshot: its next write then edits in place without scanning (`_change_some`).

    None for a small one (its write scans in no time), one with a byte-order mark
    or CRLF line ends (written the whole way), or one whose headers are not one a
    record (the write then finds its way as ever).
    """
    if len(raw) < SOME_FROM or text.startswith("\ufeff") or "\r\n" in text:
        return None, None
    from measures.model.headers import record_offsets, record_starts

    starts, offsets = record_starts(text), record_offsets(raw)
    if len(starts) != count:
        return None, None
    return starts, offsets if offsets is not None and len(offsets) == count else None


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file at `path` (a link is followed); OSError for anything else.

    Opened without blocking, so that a FIFO or a device in its place is refused
    rather than waited on.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, _("not a regular file"))
        return handle.read()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    from measures.ledger.lock import held

    held_until_done = contextlib.ExitStack()
    try:
        lock_file = str(ensure_state_folder(path) / f"{path.name}.lock")
        held_until_done.enter_context(held(lock_file, LOCK_TIMEOUT_SECONDS))
    except TimeoutError:
        raise WriteFailed(
            _("{path}: another `measures` is still writing it after {seconds} s.").format(
                path=path, seconds=f"{LOCK_TIMEOUT_SECONDS:.0f}"
            ),
            _("Try again; nothing was changed."),
        ) from None
    except OSError as error:
        raise WriteFailed(
            _("{path}: cannot take the write lock ({reason}); nothing was changed.").format(
                path=path, reason=error.strerror
            )
        ) from None
    with held_until_done:
        yield


Result = TypeVar("Result")


@dataclass(frozen=True)
class Changed(Generic[Result]):
    """What `change_ledger` did: the ledger before and after, and what the change returned."""

    before: Ledger
    after: Ledger
    result: Result


def update_ledger(
    path: Path, change: Callable[[Ledger], Ledger], ids: Collection[int] | None = None
) -> tuple[Ledger, Ledger]:
    """Apply `change` to the ledger at `path` and write the result; (before, after).

    `ids`: as for `change_ledger`.
    """
    done = change_ledger(path, lambda ledger: (change(ledger), None), ids)
    return done.before, done.after


def change_ledger(
    path: Path,
    change: Callable[[Ledger], tuple[Ledger, Result]],
    ids: Collection[int] | None = None,
) -> Changed[Result]:
    """Apply `change`, which gives the new ledger and a result, to the ledger at `path`.

    The new ledger is written (if it differs); the result, such as the measure
    added or an import's summary, is handed back with the ledger before and after.

    `ids`, where given, are the only measures `change` reads or changes; it then
    may be given a ledger of the plan and those measures alone (as `before`
    and `after` are), read from the snapshot of a big ledger without
    rebuilding the others (`_change_some`). Whatever it makes of them that
    cannot be written so, and it is given the whole ledger.
    """
    from measures.ledger.tomledit import apply_edit

    path = writable_path(path)
    _refuse_read_only(path)
    with _locked(path):
        _remove_stale_temporaries(path)
        if ids is not None:
            some = _change_some(path, change, ids)
            if some is not None:
                return some
        writing = _WRITING.set(True)
        try:
            loaded = read_ledger(path)
        finally:
            _WRITING.reset(writing)
        try:
            new, result = change(loaded.ledger)
        except MeasuresError as error:
            raise error.in_file(path) from None
        if new != loaded.ledger:
            from measures.ledger import snapshot

            kept = loaded.kept
            try:
                edited = apply_edit(
                    loaded.text, loaded.ledger, new, None if kept is None else kept.starts
                )
            except InvalidLedger as error:  # the new text would not read back as intended
                raise error.in_file(path) from None
            data = edited.text.encode("utf-8")
            write_bytes(path, data)
            _journal(path, loaded, new, edited.text, edited.splices, data)
            # The records not changed are the bytes the snapshot already held:
            # their rows are kept as they are, and only the changed ones built.
            snapshot.save(path, data, new, edited.starts, kept, edited.changed)
    return Changed(loaded.ledger, new, result)


# From this size of ledger on, a write that names its measures reads only those
# (`_change_some`); below it, rebuilding every record costs little, and the whole
# new text is parsed again after the edit (tomledit.FULL_CHECK_LIMIT).
SOME_FROM = 256 << 10


def _change_some(
    path: Path, change: Callable[[Ledger], tuple[Ledger, Result]], ids: Collection[int]
) -> Changed[Result] | None:
    """`change_ledger` on the plan and the measures `ids` alone; None where it cannot be.

    The measures come from the snapshot of the ledger's bytes (`snapshot.load_some`),
    rebuilt alone; only the blocks changed are decoded, edited in place and read
    back each one alone, as a write to a big ledger always reads them back (the
    block scan stands for the rest), and the new bytes are written from views of
    the old ones, hashed as they go, never joined; the journal and the new
    snapshot are made of what changed. None, with nothing written, when the
    ledger is small, has no snapshot or none that knows where its records begin,
    lacks one of the measures, or when `change` adds, drops or reorders measures
    or changes the plan: the caller then does it all.
    """
    from measures.ledger import journal, snapshot
    from measures.ledger.hashes import sha256_hex
    from measures.ledger.tomledit import edit_records
    from measures.model.headers import record_offsets

    try:
        raw = read_regular(path)
    except OSError:
        return None  # the whole read says what is wrong
    if len(raw) < SOME_FROM:
        return None
    before_sha256 = sha256_hex(raw)
    some = snapshot.load_some(path, raw, list(dict.fromkeys(ids)), before_sha256)
    if some is None or some.starts is None:
        return None
    before = Ledger(plan=some.plan, measures=some.measures)
    try:
        after, result = change(before)
    except MeasuresError as error:
        raise error.in_file(path) from None
    if after.plan != before.plan or [m.id for m in after.measures] != [
        m.id for m in before.measures
    ]:
        return None
    places = [
        place
        for place, (old, new) in enumerate(zip(before.measures, after.measures, strict=True))
        if not (new is old or new == old)
    ]
    if not places:
        return Changed(before, after, result)
    offsets = some.offsets if some.offsets is not None else record_offsets(raw)
    if offsets is None:
        return None
    changes = [
        (some.indexes[place], before.measures[place], after.measures[place]) for place in places
    ]
    edited = edit_records(raw, some.starts, offsets, changes)
    if edited is None:
        return None
    after_sha256 = sha256_hex(edited.pieces)
    write_bytes(path, edited.pieces)
    what = journal.what_changed(before, after)
    record = journal.record("", "", what, edited.splices, None, None, before_sha256, after_sha256)
    _keep_in_journal(path, record)
    changed = {place: after.measures[place] for place in places}
    snapshot.save_some(path, after_sha256, some, changed, edited.starts, edited.offsets)
    return Changed(before, after, result)


def writable_path(path: Path) -> Path:
    """The file a write to the ledger `path` changes: a symbolic link's target, else `path`.

    The write goes to the target, with its lock, journal and temporary file beside
    the target, so that writers through the link and through the real path take
    the same lock, and the link stays a link.
    """
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def ensure_state_folder(ledger: Path) -> Path:
    """The hidden folder beside the ledger for the lock and the undo journal.

    Its own .gitignore keeps everything in it out of git, so a `git add -A`
    never commits a lock or a journal, and nobody has to edit their .gitignore.
    """
    folder = ledger.parent / STATE_FOLDER
    ignore = folder / ".gitignore"
    # A cloned repository may carry links here: none is followed, wherever it points.
    _refuse_link(folder)
    for own in (ignore, state_file(ledger, "lock"), state_file(ledger, "undo")):
        _refuse_link(own)
    try:
        folder.mkdir(exist_ok=True)
        try:
            status = ignore.lstat()
            size = status.st_size if stat.S_ISREG(status.st_mode) else len(_STATE_GITIGNORE)
        except FileNotFoundError:
            size = -1
        # Missing, or cut short (a full disk): written again. Edited by hand, or
        # not a file at all: left alone.
        if size < len(_STATE_GITIGNORE) and (
            size < 0 or _STATE_GITIGNORE.startswith(ignore.read_text(encoding="utf-8"))
        ):
            write_text(ignore, _STATE_GITIGNORE, mode=0o644)
    except (OSError, UnicodeDecodeError, WriteFailed) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise WriteFailed(
            _(
                "{path}: cannot create {folder} for the write lock ({reason}); nothing was changed."
            ).format(path=ledger, folder=folder, reason=reason)
        ) from None
    return folder


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise WriteFailed(
            _(
                "{path} is a symbolic link; `measures` does not follow links in its own "
                "folder, so nothing was changed."
            ).format(path=path),
            _(
                "Remove the link: that folder holds only the write lock and the undo "
                "journal, and `measures` makes them again."
            ),
        )


def warn(message: str) -> None:
    """A warning on stderr, for a problem that did not stop the command."""
    from measures.inert import inert

    sys.stderr.write(inert(_("Warning: {message}").format(message=message)) + "\n")


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files a killed writer left; safe, since only a lock holder makes them."""
    journal = state_file(path, "undo")
    for folder, name in ((path.parent, path.name), (journal.parent, journal.name)):
        for stale in folder.glob(f"{_TEMPORARY_PREFIX}{name}.*.tmp"):
            stale.unlink(missing_ok=True)


def _journal(
    path: Path,
    loaded: LoadedLedger,
    new: Ledger,
    text: str,
    splices: list[tuple[int, int, str]] | None,
    data: bytes | None = None,
    before_data: bytes | None = None,
) -> None:
    """Record how to undo the write just made (see journal.py); `data` is `text` encoded,
    `before_data` the ledger's bytes before it, where at hand."""
    from measures.ledger import journal

    what = journal.what_changed(loaded.ledger, new)
    _keep_in_journal(path, journal.record(loaded.text, text, what, splices, data, before_data))


def _keep_in_journal(path: Path, change: Any) -> None:
    """Append `change` (a `journal.Change`) to the undo journal of the ledger at `path`."""
    from measures.ledger import journal

    where = journal.journal_path(path)
    try:
        earlier = journal.loads(read_regular(where).decode("utf-8"), str(where))
    except FileNotFoundError:
        earlier = []  # none yet
    except (OSError, UnicodeDecodeError, InvalidLedger) as error:
        # Unreadable: kept aside for a look, and a new journal begun. The write stands.
        earlier = []
        aside = where.with_name(f"{where.name}.damaged")
        try:
            where.replace(aside)
            kept = _("set aside as {path}").format(path=aside)
        except OSError:
            kept = _("left as it is")
        reason = error.reason if isinstance(error, journal.JournalUnreadable) else str(error)
        warn(
            _(
                "{path}: the undo journal could not be read ({reason}); it was {kept}, and a new "
                "one begun. The change itself was made; earlier changes can be undone only "
                "with git."
            ).format(path=where, reason=reason, kept=kept)
        )
    # If this fails, the write itself stands. With no record of it, `undo` finds the
    # ledger is not what the journal's newest change wrote, and refuses rather than guess.
    with contextlib.suppress(WriteFailed, OSError):
        write_text(where, journal.dumps([*earlier, change]), mode=_mode(path))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def undo_last(path: Path) -> tuple[Any, int]:
    """Put back the text the newest recorded write replaced: (what it was, changes left).

    What it was is the journal's data (`journal.what_changed`), for
    `history.describe_recorded` to put into words.
    """
    from measures.ledger import journal

    path = writable_path(path)
    _refuse_read_only(path)
    where = journal.journal_path(path)
    with _locked(path):
        try:
            raw = read_regular(path)
            try:
                recorded = read_regular(where).decode("utf-8")
            except FileNotFoundError:
                recorded = ""
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidLedger(
                _("{path}: cannot be read for undo ({error}).").format(path=path, error=error)
            ) from None
        changes = journal.loads(recorded, str(where))
        if not changes:
            raise Conflict(
                _("{path}: nothing to undo.").format(path=path),
                _("`measures undo` reverts changes this tool made and recorded in {name}.").format(
                    name=where.name
                ),
            )
        last = changes[-1]
        if journal.digest(raw) != last.after_sha256:
            raise Conflict(
                _(
                    "{path}: the file is not as `measures` last wrote it (edited by hand since?); "
                    "undo would lose that edit, so nothing was changed."
                ).format(path=path),
                _(
                    "Check `git diff`; to undo by hand, use git. "
                    "Delete {name} to stop `undo` asking."
                ).format(name=where.name),
            )
        try:
            before = journal.undo_text(raw.decode("utf-8"), last)
        except InvalidLedger as error:
            raise error.in_file(path) from None
        # The journal first: if it cannot be written, nothing has changed yet; if
        # the ledger then cannot be, the journal is put back as it was.
        rest = changes[:-1]
        mode = _mode(path)
        if rest:
            write_text(where, journal.dumps(rest), mode=mode)
        else:
            try:
                where.unlink()
            except OSError as error:
                raise _write_failed(where, error) from None
        restored = before.encode("utf-8")
        try:
            write_bytes(path, restored)
        except WriteFailed:
            with contextlib.suppress(WriteFailed, OSError):
                write_text(where, recorded, mode=mode)
            raise
    from measures.ledger import snapshot

    # The bytes put back are those the write undone replaced: their snapshot,
    # kept aside by that write, serves again (else the next read parses them).
    snapshot.restore_previous(path, restored)
    return last.what, len(rest)


def _refuse_read_only(path: Path) -> None:
    # Checked on the mode bits rather than with os.access, which says yes to root.
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # read_ledger reports it
    if not mode & stat.S_IWUSR:
        raise WriteFailed(
            _("{path}: the file is read-only; nothing was changed.").format(path=path),
            _("Make it writable (chmod u+w) if it is meant to be edited."),
        )


def write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Replace `path` with `text` atomically, keeping its permissions (or giving `mode`)."""
    write_bytes(path, text.encode("utf-8"), mode)


def write_bytes(path: Path, data: Buffers, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically, keeping its permissions (or giving `mode`).

    `data` is the bytes, or the bytes in pieces, written one after the other.
    """
    from measures.ledger.temporary import make_temporary

    try:
        if mode is None:
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        descriptor, name = make_temporary(
            str(path.parent), f"{_TEMPORARY_PREFIX}{path.name}.", ".tmp"
        )
    except OSError as error:
        raise _write_failed(path, error) from None
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _write_failed(path, error) from None
        raise
    _sync_folder(path.parent)


STDOUT = "-"


def write_output(path: Path | str, data: bytes) -> None:
    """Write an output file (`--output`) without replacing what is not a file.

    `-` is stdout. A regular file, or a path where nothing is, is replaced
    atomically (as the ledger is); a symbolic link is written through, to its
    target, and stays a link; a FIFO or a character device (/dev/null, a
    terminal) is written to as a stream. Anything else is refused.
    """
    if str(path) == STDOUT:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            buffer.write(data)
            buffer.flush()
        return
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _write_failed(given, error) from None
    if mode is None or stat.S_ISREG(mode):
        write_bytes(target, data)
        return
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        raise WriteFailed(
            _(
                "{path}: not a file, a FIFO or a device, so it cannot be written; "
                "nothing was changed."
            ).format(path=given)
        )
    try:
        # Neither created nor truncated: it is there, and not a file.
        descriptor = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise _write_failed(given, error) from None


def _write_failed(path: Path, error: OSError) -> WriteFailed:
    return WriteFailed(
        _("{path}: cannot write ({reason}); nothing was changed.").format(
            path=path, reason=error.strerror
        )
    )


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse to sync a folder; the rename stands
    finally:
        os.close(descriptor)
