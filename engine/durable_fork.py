"""The durable-rules worker as a forked child: the same isolation as the spawned worker
(engine/durable_bridge.py ``_Worker``) without starting a new interpreter.

A spawned worker starts Python, re-imports probis's worker side and multiprocessing's
machinery: 0.1 s of CPU and about 0.3 s before it can take work, more than a one-map audit
needs altogether (figures: docs/design-notes.md). A child forked from the audit has all of
that already; it imports durable-rules while the parent reads the workspace, then evaluates
each request it gets on a pipe and answers on another. What the worker guaranteed stays:

- a crash of the C engine kills the child, not the audit (the parent reads end-of-file);
- a run that does not finish within the time limit is killed (SIGKILL), as the spawned
  worker is: a hostile rule file cannot hang the audit;
- an error raised inside durable-rules comes back as its type and message.

Used only where forking is safe: Linux (fork is its default), one thread in this process
(a lock another thread holds at the fork stays locked in the child) and not a daemonic
multiprocessing worker (those run durable-rules in themselves). ``PROBIS_DURABLE_WORKER=spawn``
keeps the spawned worker.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .durable_worker import Match, _evaluate, warm_up

_HEADER = struct.Struct("!Q")


class WorkerDied(RuntimeError):
    """The forked worker ended without an answer (a crash in the C engine)."""


class WorkerTimeout(RuntimeError):
    """The forked worker did not answer within the time limit; it was killed."""


class WorkerRaised(RuntimeError):
    """durable-rules raised in the worker; the message is ``Type: text``."""


def usable() -> bool:
    """Whether a forked worker may be used by this process now."""
    if os.environ.get("PROBIS_DURABLE_WORKER", "").strip().lower() == "spawn":
        return False
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1)


class ForkedWorker:
    """One forked child serving durable-rules evaluations, one at a time."""

    _instance: ForkedWorker | None = None

    def __init__(self, pid: int, requests: int, answers: int) -> None:
        self.pid, self.requests, self.answers = pid, requests, answers
        self.owner = os.getpid()  # a forked grandchild must not use or stop it
        self._pending: _Ticket | None = None  # the request sent and not answered yet

    @classmethod
    def current(cls) -> ForkedWorker | None:
        worker = cls._instance
        return worker if worker is not None and worker.owner == os.getpid() else None

    @classmethod
    def shared(cls) -> ForkedWorker:
        """This process's forked worker, forked now if there is none."""
        worker = cls.current()
        if worker is None:
            worker = cls._instance = cls._fork()
        return worker

    @classmethod
    def _fork(cls) -> ForkedWorker:
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: serve, then leave without the parent's atexit handlers
            code = 1
            try:
                os.close(req_w)
                os.close(ans_r)
                code = _serve(req_r, ans_w)
            finally:
                os._exit(code)
        os.close(req_r)
        os.close(ans_w)
        os.set_blocking(req_w, False)  # a write never waits past the deadline
        return cls(pid, req_w, ans_r)

    def call(self, payload: str, facts: list[dict[str, Any]], timeout: float | None,
             as_events: bool = False) -> list[Match]:
        return self.start(payload, facts, timeout, as_events)()

    def start(self, payload: str, facts: list[dict[str, Any]], timeout: float | None,
              as_events: bool = False) -> Callable[[], list[Match]]:
        """Send the request now; the returned function waits for the answer (the caller
        works meanwhile). The time limit counts from now. One request is outstanding at a
        time: a second ``start`` first takes in the earlier answer, kept for its caller."""
        self._settle()
        deadline = None if timeout is None else time.monotonic() + timeout
        data = pickle.dumps((payload, facts, as_events), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            _write(self.requests, _HEADER.pack(len(data)) + data, deadline)
        except (WorkerDied, WorkerTimeout):
            self.discard()
            raise
        ticket = self._pending = _Ticket(deadline, timeout)

        def receive() -> list[Match]:
            if self._pending is ticket:
                self._settle()
            if ticket.error is not None:
                raise ticket.error
            return ticket.matches

        return receive

    def _settle(self) -> None:
        """Take in the outstanding answer, if any, into its ticket."""
        ticket, self._pending = self._pending, None
        if ticket is None:
            return
        try:
            # past the deadline an answer already written is still read (the caller was
            # busy); one still missing is a run past its time limit
            (size,) = _HEADER.unpack(_read(self.answers, _HEADER.size, ticket.deadline))
            # the worker writes its answer only once it is done: the rest is a copy
            rest = None if ticket.timeout is None else time.monotonic() + ticket.timeout
            status, value, finished = pickle.loads(_read(self.answers, size, rest))
        except (WorkerDied, WorkerTimeout) as exc:
            self.discard()
            ticket.error = exc
            return
        if ticket.deadline is not None and finished > ticket.deadline:
            # finished after its limit while the caller was busy: the limit holds all the
            # same (the monotonic clock is the machine's, the same in both processes)
            ticket.error = WorkerTimeout()
        elif status == "error":
            ticket.error = WorkerRaised(value)
        else:
            ticket.matches = list(value)

    def discard(self) -> None:
        """Kill and reap the child, close the pipes (an outstanding request fails)."""
        ticket, self._pending = self._pending, None
        if ticket is not None and ticket.error is None:
            ticket.error = WorkerDied()
        if ForkedWorker._instance is self:
            ForkedWorker._instance = None
        if self.owner != os.getpid() or self.pid == 0:
            return
        pid, self.pid = self.pid, 0
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        for fd in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)

    def kill_now(self) -> None:
        """SIGKILL the child without waiting (from a signal handler)."""
        if self.owner == os.getpid() and self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)


@dataclass
class _Ticket:
    """One request's answer: its matches or the error to raise."""

    deadline: float | None
    timeout: float | None
    matches: list[Match] = field(default_factory=list)
    error: Exception | None = None


def _serve(requests: int, answers: int) -> int:
    """The child's loop: one pickled request in, one pickled answer out, until the parent
    closes its end (or kills it)."""
    for signum in (signal.SIGINT, signal.SIGTERM):  # the parent's handlers are not ours
        signal.signal(signum, signal.SIG_DFL)
    faulthandler.disable()  # a crash here is reported by the parent, not as its traceback
    warm_up()
    while True:
        try:
            header = _read(requests, _HEADER.size, None)
        except WorkerDied:  # the parent closed its end: done
            return 0
        (size,) = _HEADER.unpack(header)
        payload, facts, as_events = pickle.loads(_read(requests, size, None))
        try:
            answer: tuple[str, Any] = ("ok", _evaluate(payload, facts, as_events))
        except Exception as exc:  # an error inside durable-rules: the parent names it
            answer = ("error", f"{type(exc).__name__}: {exc}")
        data = pickle.dumps((*answer, time.monotonic()), protocol=pickle.HIGHEST_PROTOCOL)
        _write(answers, _HEADER.pack(len(data)) + data, None)


def _wait(fd: int, write: bool, deadline: float | None) -> None:
    # past the deadline: one look without waiting (what is ready still goes through)
    left = None if deadline is None else max(0.0, deadline - time.monotonic())
    ready = select.select([], [fd], [], left) if write else select.select([fd], [], [], left)
    if not any(ready):
        raise WorkerTimeout


def _write(fd: int, data: bytes, deadline: float | None) -> None:
    view = memoryview(data)
    while view:
        _wait(fd, True, deadline)
        try:
            sent = os.write(fd, view)
        except BlockingIOError:
            continue
        except BrokenPipeError:
            raise WorkerDied from None
        view = view[sent:]


def _read(fd: int, size: int, deadline: float | None) -> bytes:
    parts: list[bytes] = []
    while size:
        _wait(fd, False, deadline)
        block = os.read(fd, min(size, 1 << 20))
        if not block:
            raise WorkerDied
        parts.append(block)
        size -= len(block)
    return b"".join(parts)
