"""A new file beside the one it will replace, made as `tempfile.mkstemp` makes one.

Every write puts its bytes in such a file and renames it over the ledger (or the
snapshot). `tempfile` brings `shutil`, `random`, `bz2` and `lzma` with it, a few
milliseconds of a write's start-up; this is the part of it a write uses: a name
no file has (random, tried again on the rare clash), created exclusively,
readable and writable by its owner only.
"""

from __future__ import annotations

import errno
import os

ATTEMPTS = 100  # names tried before giving up, as tempfile tries


def make_temporary(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """A new empty file in `folder`, named `prefix` + random + `suffix`: its open
    descriptor (for writing) and its path. OSError if none can be made there."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(ATTEMPTS):
        path = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")  # noqa: PTH118
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found", folder)
