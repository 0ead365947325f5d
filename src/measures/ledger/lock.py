"""The write lock: an exclusive flock(2) on a file beside the ledger, as filelock takes it.

On a POSIX system the lock is taken here, with `fcntl` directly: importing
filelock costs a write some 10 ms (it brings in logging, inspect and more),
about a tenth of a `done` on a small ledger. filelock locks the same file the
same way (flock on the whole file, the file left in place on release so that
every waiter locks the same inode), so a writer of either kind waits for the
other. Where flock is missing (Windows; a file system that refuses it, on which
filelock falls back to a lock of its own) filelock takes it, as before.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

POLL_SECONDS = 0.05  # filelock's own interval between tries
# flock refused by the file system itself: filelock's fallback then decides.
_NO_FLOCK = {errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOLCK}


@contextmanager
def held(lock_file: str, timeout: float) -> Iterator[None]:
    """`lock_file` locked for the block; TimeoutError after `timeout` seconds, OSError if it
    cannot be opened."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        with _filelock(lock_file, timeout):
            yield
        return
    descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(lock_file) from None
                time.sleep(POLL_SECONDS)
            except OSError as error:
                if error.errno not in _NO_FLOCK:
                    raise
                os.close(descriptor)
                descriptor = -1
                with _filelock(lock_file, timeout):
                    yield
                return
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        if descriptor >= 0:
            os.close(descriptor)


@contextmanager
def _filelock(lock_file: str, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(lock_file)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise TimeoutError(lock_file) from None
    try:
        yield
    finally:
        lock.release()
