"""Rendering a long run of pieces on two cores, yielded in order (the JSON report's findings).

``ordered_pieces(render, n)`` yields ``render(0)``, ..., ``render(n - 1)``. Where ``fork`` is
available, one forked child (it inherits the data, nothing is pickled on the way in) and
this process claim indexes from a shared counter, so whoever is free takes the next one.
The child copies each piece into a ring of shared memory and then writes only its place,
``(index, position, length)``, into a pipe; this process reads the pipe between its own
pieces and copies a piece out of the ring in its turn. No thread here: a reading thread
would wait for the GIL on every read while this one renders (docs/design-notes.md,
i24-ring). The ring's size bounds how far the child may run ahead (it waits for space);
a piece larger than the ring follows its place in the pipe itself. A piece the child
claimed but did not deliver (it died) is rendered here: the same bytes. The child is killed
and reaped when the consumer stops early (the generator is closed), on an error or an
interrupt; it is in ``parallel._live`` meanwhile, so ``termination.stop_children`` ends it.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from . import parallel

#: a piece: bytes, or a memoryview of bytes (a slice without its copy); file writes, hashes
#: and ``b"".join`` take either
Piece = bytes | memoryview

_PLACE = struct.Struct("<qqQ")  # index, ring position (IN_PIPE: the bytes follow), length
IN_PIPE = -1
#: shared memory between the child's pieces and this process (about ten findings chunks)
RING_BYTES = 32 << 20
#: pieces this process may render ahead of the one it yields
AHEAD = 8


def ordered_pieces(render: Callable[[int], Piece], n: int, *, fork: bool = True,
                   ahead: int = AHEAD, ring_bytes: int = RING_BYTES) -> Iterator[Piece]:
    """``render(i)`` for i in ``range(n)``, in order; with ``fork``, some of them rendered
    in a forked child meanwhile."""
    # another thread may hold a lock the child would need (and wait forever): no fork then
    ctx = (parallel._fork_context() if fork and n >= 2 and threading.active_count() == 1
           else None)
    started = _start(render, n, ctx, ring_bytes) if ctx is not None else None
    if started is None:
        for i in range(n):
            yield render(i)
        return
    pid, counter, inbox = started
    try:
        mine: dict[int, Piece] = {}
        for i in range(n):
            piece = mine.pop(i, None)
            while piece is None:
                piece = inbox.take(i, wait=False)
                if piece is not None:
                    break
                c = counter.claim(inbox.ended) if len(mine) < ahead else n
                if c < n:  # render the next unclaimed piece while the child renders i
                    mine[c] = render(c)
                    piece = mine.pop(i, None)
                    continue
                # i is the child's: wait for it; if the child died first, render it here
                piece = inbox.take(i, wait=True)
                if piece is None:
                    piece = render(i)
            yield piece
    finally:
        _end(pid, inbox)


def _start(render: Callable[[int], Piece], n: int, ctx: Any,
           ring_bytes: int) -> tuple[int, _Counter, _Inbox] | None:
    """The forked child, the shared counter and what reads the child's pieces; None when no
    process or memory is left to spare (EAGAIN, ENOMEM): the pieces are rendered here."""
    try:
        counter, ring = _Counter(ctx), _Ring(ctx, ring_bytes)
    except OSError:
        return None
    try:
        pid, read_fd = parallel.fork_writer(
            lambda write_fd: _child(render, n, counter, ring, write_fd))
    except OSError:
        ring.close()
        return None
    return pid, counter, _Inbox(read_fd, ring)


class _Counter:
    """The next unclaimed index, shared with the child."""

    def __init__(self, ctx: Any) -> None:
        self.value = ctx.RawValue("q", 0)
        self.lock = ctx.Lock()
        self.parent = os.getpid()

    def claim(self, child_ended: Callable[[], bool] | None = None) -> int:
        """Take the next index. A lock held by a process that was killed is never freed:
        the parent (given ``child_ended``) stops taking it once the child's output ended,
        and the child leaves once its parent is gone."""
        locked = False
        while child_ended is not None and not child_ended():
            if locked := self.lock.acquire(timeout=0.05):
                break
        while child_ended is None and not (locked := self.lock.acquire(timeout=0.5)):
            if os.getppid() != self.parent:  # the child: a parent killed holding the lock
                raise SystemExit(1)
        try:
            i = int(self.value.value)
            self.value.value = i + 1
            return i
        finally:
            if locked:
                self.lock.release()


class _Ring:
    """Shared memory the child writes pieces into, in order, wrapping at the end; ``taken``
    is how far (in bytes written since the start) this process has copied them out."""

    def __init__(self, ctx: Any, size: int) -> None:
        self.size = size
        self.memory = mmap.mmap(-1, size)  # anonymous and shared: the child writes, we read
        # set under its lock (its release orders our copy before the new count), read by the
        # child without it: a child killed holding the lock would never free it
        self.taken = ctx.Value("q", 0)

    def place(self, written: int, length: int) -> int:
        """Where a piece of ``length`` goes after ``written`` bytes: there, or at the ring's
        start when it would not fit before the end."""
        offset = written % self.size
        return written if offset + length <= self.size else written + self.size - offset

    def has_room(self, written: int, end: int) -> bool:
        """Whether the bytes up to ``end`` may be written once ``written`` were: only the
        pieces not taken yet, from ``taken`` to ``written``, are kept (none when all were)."""
        taken = self.taken.get_obj().value  # an older count only means waiting longer
        return taken == written or end - taken <= self.size

    def close(self) -> None:
        self.memory.close()


def _child(render: Callable[[int], Piece], n: int, counter: _Counter, ring: _Ring,
           write_fd: int) -> None:  # pragma: no cover - runs in the forked child
    gc.disable()  # a collection would touch, and so copy, the pages of the parent's heap
    written = 0
    with os.fdopen(write_fd, "wb", buffering=0) as out:
        while (i := counter.claim()) < n:
            piece = render(i)
            if len(piece) > ring.size:
                _write_all(out, _PLACE.pack(i, IN_PIPE, len(piece)) + piece)
                continue
            position = ring.place(written, len(piece))
            while not ring.has_room(written, position + len(piece)):
                if os.getppid() != counter.parent:  # nobody will take the older pieces
                    raise SystemExit(1)
                time.sleep(0.001)  # the parent takes a piece every few milliseconds
            offset = position % ring.size
            ring.memory[offset:offset + len(piece)] = piece
            written = position + len(piece)
            _write_all(out, _PLACE.pack(i, position, len(piece)))  # one atomic write


def _write_all(out: Any, data: Piece) -> None:  # pragma: no cover - in the forked child
    view = memoryview(data)
    while view:  # a raw write into a pipe may take only part of it
        view = view[out.write(view) or 0:]


def _end(pid: int, inbox: _Inbox) -> None:
    """Kill and reap the child (harmless when it already left), then close its pipe and
    the ring."""
    if pid in parallel._live:  # else stop_children reaped it already: its pid may be reused
        parallel._live.discard(pid)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    inbox.close()


class _Inbox:
    """The places of the child's pieces, read from its pipe when asked, and the pieces."""

    def __init__(self, fd: int, ring: _Ring) -> None:
        self.fd = fd
        self.ring = ring
        self.unread = bytearray()
        self.got: dict[int, tuple[int, int] | bytes] = {}
        self.done = False  # the child's output ended (all sent, or it died)
        self.poll = select.poll()
        self.poll.register(fd, select.POLLIN)

    def ended(self) -> bool:
        """Whether the child's output ended (reads what came meanwhile)."""
        self._read(wait=False)
        return self.done

    def take(self, i: int, wait: bool) -> Piece | None:
        """Piece ``i`` if it came (with ``wait``: once it comes); None if it did not and,
        with ``wait``, never will (the child's output ended)."""
        self._read(wait=False)
        while wait and i not in self.got and not self.done:
            self._read(wait=True)
        where = self.got.pop(i, None)
        if where is None or isinstance(where, bytes):
            return where
        position, length = where
        offset = position % self.ring.size
        piece = self.ring.memory[offset:offset + length]
        with self.ring.taken.get_lock():  # taken only here: the child reads without it
            self.ring.taken.get_obj().value = position + length  # in the order written
        return piece

    def _read(self, wait: bool) -> None:
        """What the pipe holds (``wait``: at least a byte, or its end), without waiting
        otherwise."""
        if self.done or not (wait or self.poll.poll(0)):
            return
        data = os.read(self.fd, 1 << 16)
        if not data:
            self.done = True
            return
        self.unread += data
        while len(self.unread) >= _PLACE.size:
            i, position, length = _PLACE.unpack_from(self.unread)
            if position == IN_PIPE:  # its bytes follow at once: read them all
                end = _PLACE.size + length
                while len(self.unread) < end:
                    data = os.read(self.fd, end - len(self.unread))
                    if not data:  # cut short: the child died writing it
                        self.done = True
                        return
                    self.unread += data
                self.got[i] = bytes(self.unread[_PLACE.size:end])
                del self.unread[:end]
            else:
                self.got[i] = (position, length)
                del self.unread[:_PLACE.size]

    def close(self) -> None:
        os.close(self.fd)
        self.ring.close()
