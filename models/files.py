"""Files written whole or not at all: the one atomic-write habit of jobmatch.

Every writer (model bundles and the registry pointer, batch outputs, import reports, analysis
and scored files) writes to a temporary file in the target's own folder and moves it onto the
target with :func:`os.replace`, which POSIX makes atomic within a file system: a reader sees the
old file or the new one, never a half-written one, and a failed write leaves the old file as it
was and no temporary behind. :func:`exclusive_lock` is the one lock file habit: a change that
spans several files (the registry's pointer and history, a fair's one running batch) holds it.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

if sys.platform != "win32":
    import fcntl

__all__ = ["atomic_path", "atomic_write", "exclusive_lock", "fsync_directory"]


def fsync_directory(directory: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk; a no-op where not supported."""
    if os.name == "nt":  # pragma: no cover - POSIX only here
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def atomic_path(path: Path, *, durable: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` when the block succeeds.

    Parameters
    ----------
    path
        The final file name. Its directory must exist.
    durable
        Also flush the file and its folder to disk (for pointers a crash must not lose).

    Yields
    ------
    Path
        An empty, freshly created file in the same directory, to be written by the caller.

    Notes
    -----
    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and the
    exception re-raised; ``path`` is left as it was. The temporary file is created with the
    process umask, like any ordinary output file.
    """
    path = Path(path)
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            with temp.open("xb"):
                pass
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
        break
    try:
        yield temp
        if durable:
            with temp.open("rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_directory(path.parent)


def atomic_write(
    path: Path, content: str | bytes, *, encoding: str = "utf-8", durable: bool = False
) -> None:
    """Write ``content`` (text in ``encoding``, or bytes) to ``path`` atomically."""
    with atomic_path(path, durable=durable) as temp:
        if isinstance(content, bytes):
            temp.write_bytes(content)
        else:
            temp.write_text(content, encoding=encoding, newline="")


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (created, with its folder, when missing)
    for the block: ``flock``, so it excludes other processes and other threads that open the
    file themselves; on Windows no lock is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":  # pragma: no cover - POSIX only here
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
