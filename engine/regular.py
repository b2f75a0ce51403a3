"""Reading a file from an untrusted folder: only a regular file, only up to a size.

A FIFO, a device or a socket dropped into a workspace would block ``open()`` or ``read()``
for ever (a FIFO with no writer) or yield endless data (``/dev/zero``): the file is opened
without blocking and checked with ``fstat`` on the open descriptor, so what is read is the
very file that was checked.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path names a FIFO, device, socket or folder, not a regular file."""

    def __init__(self, path: Path | str, what: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({what})", str(path))
        self.what = what


class TooLarge(OSError):
    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"file too large ({size} bytes, limit {limit})", str(path))
        self.size = size
        self.limit = limit


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special file"


def read_regular(path: Path | str, max_bytes: int | None = None, *,
                 follow_links: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``; otherwise
    raises ``NotRegularFile``, ``TooLarge`` or the ``OSError`` of opening it."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, kind_of(info.st_mode))
        if max_bytes is not None and info.st_size > max_bytes:
            raise TooLarge(path, info.st_size, max_bytes)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            if max_bytes is None:
                return handle.read()
            # never more than the limit + 1, even if the file grows meanwhile; asked for as
            # the size fstat saw + 1 first (a read of n bytes allocates n bytes up front)
            want = min(info.st_size, max_bytes) + 1
            raw = handle.read(want)
            if len(raw) == want <= max_bytes:  # it grew since fstat: on up to the limit
                raw += handle.read(max_bytes + 1 - want)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > max_bytes:
        raise TooLarge(path, len(raw), max_bytes)
    return raw
