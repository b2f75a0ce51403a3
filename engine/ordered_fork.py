"""Rendering a long run of pieces on two cores, yielded in order (the JSON report's findings).

``ordered_pieces(render, n)`` yields ``render(0)``, ..., ``render(n - 1)``. Where ``fork`` is
available, one forked child (it inherits the data, nothing is pickled on the way in) and
this process claim indexes from a shared counter, so whoever is free takes the next one; the
child writes each piece into a pipe as ``(index, length, bytes)``, read by a thread here and
yielded in its turn. The child is held at most ``ahead`` pieces in front of the consumer
(the reading thread stops reading, the pipe fills, the child waits), so the memory stays a
few pieces. A piece the child claimed but did not deliver (it died) is rendered here: the
same bytes. The child is killed and reaped when the consumer stops early (the generator is
closed), on an error or an interrupt; it is in ``parallel._live`` meanwhile, so
``termination.stop_children`` ends it too.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any

from . import parallel

_HEADER = struct.Struct("<QQ")  # index, length
#: the pipe's capacity where it can be set (Linux; 1 MB is what an ordinary user may ask for)
PIPE_BYTES = 1 << 20
#: pieces the child may be ahead of the consumer
AHEAD = 8


def ordered_pieces(render: Callable[[int], bytes], n: int, *, fork: bool = True,
                   ahead: int = AHEAD) -> Iterator[bytes]:
    """``render(i)`` for i in ``range(n)``, in order; with ``fork``, some of them rendered
    in a forked child meanwhile."""
    # another thread may hold a lock the child would need (and wait forever): no fork then
    ctx = (parallel._fork_context() if fork and n >= 2 and threading.active_count() == 1
           else None)
    if ctx is None:
        for i in range(n):
            yield render(i)
        return
    counter = _Counter(ctx)
    try:
        pid, read_fd = parallel.fork_writer(lambda write_fd: _child(render, n, counter,
                                                                     write_fd))
    except OSError:  # no process to spare (EAGAIN, ENOMEM): the same pieces, here
        for i in range(n):
            yield render(i)
        return
    with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux: fewer reads
        import fcntl  # POSIX only; here only where fork is

        fcntl.fcntl(read_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # the pipe's, from either end
    reader = _Reader(read_fd, ahead)
    try:
        reader.thread.start()  # after the fork: no thread runs at a fork
        mine: dict[int, bytes] = {}
        for i in range(n):
            piece = mine.pop(i, None)
            while piece is None:
                piece = reader.take(i, wait=False)
                if piece is not None:
                    break
                c = counter.claim(reader) if len(mine) < ahead else n
                if c < n:  # render the next unclaimed piece while the child renders i
                    mine[c] = render(c)
                    piece = mine.pop(i, None)
                    continue
                # i is the child's: wait for it; if the child died first, render it here
                piece = reader.take(i, wait=True)
                if piece is None:
                    piece = render(i)
            yield piece
    finally:
        _end(pid, reader)


class _Counter:
    """The next unclaimed index, shared with the child."""

    def __init__(self, ctx: Any) -> None:
        self.value = ctx.RawValue("q", 0)
        self.lock = ctx.Lock()
        self.parent = os.getpid()

    def claim(self, reader: _Reader | None = None) -> int:
        """Take the next index. A lock held by a process that was killed is never freed:
        the parent (given the ``reader``) stops taking it once the child's output ended,
        and the child leaves once its parent is gone."""
        locked = False
        while reader is not None and not reader.ended:
            if locked := self.lock.acquire(timeout=0.05):
                break
        while reader is None and not (locked := self.lock.acquire(timeout=0.5)):
            if os.getppid() != self.parent:  # the child: a parent killed holding the lock
                raise SystemExit(1)
        try:
            i = int(self.value.value)
            self.value.value = i + 1
            return i
        finally:
            if locked:
                self.lock.release()


def _child(render: Callable[[int], bytes], n: int, counter: _Counter,
           write_fd: int) -> None:  # pragma: no cover - runs in the forked child
    gc.disable()  # a collection would touch, and so copy, the pages of the parent's heap
    with os.fdopen(write_fd, "wb", buffering=0) as out:
        while (i := counter.claim()) < n:
            piece = render(i)
            out.write(_HEADER.pack(i, len(piece)))
            view = memoryview(piece)
            while view:  # a raw write into a pipe may take only part of it
                view = view[out.write(view) or 0:]


def _end(pid: int, reader: _Reader) -> None:
    """Kill and reap the child (harmless when it already left), then let the reader go."""
    if pid in parallel._live:  # else stop_children reaped it already: its pid may be reused
        parallel._live.discard(pid)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    reader.stop()


class _Reader:
    """Reads the child's pieces into ``got`` while fewer than ``ahead`` wait there."""

    def __init__(self, fd: int, ahead: int) -> None:
        self.fd = fd
        self.ahead = max(1, ahead)
        self.got: dict[int, bytes] = {}
        self.ended = False  # the child's output ended (all sent, or it died)
        self.stopping = False
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        try:
            with os.fdopen(self.fd, "rb") as pipe:
                while True:
                    with self.cond:
                        while len(self.got) >= self.ahead and not self.stopping:
                            self.cond.wait()
                        if self.stopping:
                            return
                    header = pipe.read(_HEADER.size)
                    if len(header) < _HEADER.size:
                        return
                    i, size = _HEADER.unpack(header)
                    piece = pipe.read(size)
                    if len(piece) < size:  # cut short: the child died writing it
                        return
                    with self.cond:
                        self.got[i] = piece
                        self.cond.notify_all()
        except (OSError, ValueError):  # pragma: no cover - a broken pipe reads as the end
            pass
        finally:
            with self.cond:
                self.ended = True
                self.cond.notify_all()

    def take(self, i: int, wait: bool) -> bytes | None:
        """Piece ``i`` if it came (with ``wait``: once it comes); None if it did not and,
        with ``wait``, never will (the child's output ended)."""
        with self.cond:
            while wait and i not in self.got and not self.ended:
                self.cond.wait()
            piece = self.got.pop(i, None)
            if piece is not None:
                self.cond.notify_all()
            return piece

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        if self.thread.ident is None:  # never started (interrupted right after the fork)
            os.close(self.fd)
        else:
            self.thread.join()
