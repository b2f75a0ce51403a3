"""Atomic file writes: a report file is either the old one, the new one, or absent.

Write to a temporary file in the same folder, flush and fsync it, then ``os.replace`` it over
the target (atomic on POSIX and Windows). An interrupted run leaves at most a stray temporary
file named ``.<name>.*.tmp``, never a truncated report.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path

_umask_lock = threading.Lock()  # reading the umask means setting it: one thread at a time


def _umask() -> int:
    with _umask_lock:
        umask = os.umask(0)
        os.umask(umask)
    return umask


def write_atomic(path: str | Path, content: str | bytes) -> None:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates the file 0600; a report is meant to be shared, so give it the mode
        # an ordinary new file would get (0666 less the umask)
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
