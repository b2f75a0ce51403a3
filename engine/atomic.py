"""Atomic file writes: a report file is either the old one, the new one, or absent.

Write to a temporary file in the same folder, flush and fsync it, then ``os.replace`` it over
the target (atomic on POSIX and Windows). An interrupted run leaves at most a stray temporary
file named ``.<name>.*.tmp``, never a truncated report.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

#: what the writers take: text, bytes, or bytes in pieces (bytes or memoryviews, written as
#: they come, e.g. a large JSON report from render.json_format.render_json_pieces)
Content = str | bytes | Iterable[bytes | memoryview]

_umask_lock = threading.Lock()  # reading the umask means setting it: one thread at a time


def _umask() -> int:
    with _umask_lock:
        umask = os.umask(0)
        os.umask(umask)
    return umask


def _pieces(content: Content) -> Iterable[bytes | memoryview]:
    if isinstance(content, str):
        return (content.encode("utf-8"),)
    return (content,) if isinstance(content, bytes | bytearray | memoryview) else content


def _whole(content: Content) -> str | bytes:
    """The content in one piece (for targets a failure midway could not take back)."""
    if isinstance(content, str | bytes):
        return content
    return b"".join(_pieces(content))


def write_atomic(path: str | Path, content: Content) -> None:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates the file 0600; a report is meant to be shared, so give it the mode
        # an ordinary new file would get (0666 less the umask)
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            for piece in _pieces(content):  # a failing piece leaves only the temporary file
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class NotReplaceable(OSError):
    """The target exists and is neither a regular file, a character device nor a FIFO."""


def write_output(path: str | Path, content: Content) -> None:
    """Write a report to the user's ``-o`` target: ``-`` is standard output; a character device
    (/dev/null, a terminal) or a FIFO (also as a symlink such as /proc/self/fd/1) is written
    through, never replaced; a regular file (or a new one) is written atomically, in place of
    the file a symlink points to; anything else (a folder, a socket) is refused."""
    if str(path) == "-":
        write_stdout(content)
        return
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):  # a dangling symlink: write where it points, keep the link
            write_atomic(os.path.realpath(path), data)
        else:
            write_atomic(path, data)
        return
    if stat.S_ISREG(mode):
        write_atomic(os.path.realpath(path), data)
    elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        whole = _whole(data)  # a device or FIFO cannot be undone: render all, then write
        with open(path, "wb") as handle:
            handle.write(whole.encode("utf-8") if isinstance(whole, str) else whole)
    else:
        raise NotReplaceable(errno.EEXIST, "exists and is not a regular file, a character "
                             "device or a FIFO: not replaced", str(path))


class StdoutError(Exception):
    """Standard output is closed or a write to it failed (full disk, closed pipe)."""


def write_stdout(data: Content) -> None:
    """Write to standard output and flush, turning every failure into :class:`StdoutError`.
    After a failed write, what is left in the buffer is sent to the null device, so the
    interpreter's own flush at exit does not fail a second time."""
    stream = sys.stdout
    if stream is None:
        raise StdoutError("standard output is closed")
    whole = _whole(data)  # rendered before the first byte goes out: a pipe cannot be undone
    try:
        if isinstance(whole, str):
            stream.write(whole)
        else:
            stream.flush()
            stream.buffer.write(whole)
        stream.flush()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        with contextlib.suppress(Exception):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
        raise StdoutError(reason) from None
