"""Running plugin code so that it cannot take the audit down: errors, garbage and hangs.

Every call into a plugin during an audit (a Python rule's ``check``, ``probis_facts``,
``probis_report_sections``) goes through ``call_guarded``, which waits at most ``timeout``
seconds for it:

- an exception (even ``SystemExit`` from plugin code) comes back as ``Outcome.error``;
- a call that does not return in time is stopped or abandoned: the audit goes on without
  its result.

Two ways to enforce the time limit, chosen per call:

- **In the calling thread, under a one-shot ``SIGALRM`` timer** (the main thread on POSIX,
  the usual case: ``probis check``, ``check-many`` and its workers, ``--jobs`` children).
  When the timer fires, the signal handler raises ``Abandoned`` inside the plugin code. That
  ends a pure-Python loop at its next bytecode, and a sleep, a socket read or a lock wait at
  once (the signal interrupts the system call and CPython runs the handler). Why not a
  thread per call: each call was then two hand-offs between threads, and on a loaded
  machine every hand-off waits for the scheduler (figures: docs/design-notes.md).
- **In a worker thread** (any other thread, e.g. a Dask worker's task thread; a nested
  guarded call; a process where ``SIGALRM`` or ``ITIMER_REAL`` is already in use; or
  ``PROBIS_PLUGIN_GUARD=thread``). A call past its time is first asked to stop (the same
  asynchronous exception) and, if it is stuck in C code, left running as a daemon thread:
  it never receives the audit's later data, nothing reads what it produces, and it dies
  with the process.

Either way, a call still running after ``SLOW_NOTICE`` seconds is named once on stderr
(plugin and rule or hook), so that a long silence is not taken for a hang.

The one case only the thread can handle: C code that blocks and ignores signals (a C
library waiting on its own lock, a busy loop in an extension). A plugin wrapping such a
library should tell its users to set ``PROBIS_PLUGIN_GUARD=thread``.

Threads or the calling thread rather than processes: a rule reads the whole resolved
workspace, and copying it to a process per plugin costs more than most rules do. The C
engine of durable-rules, which can crash the process itself, runs in a worker process
instead (durable_bridge).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .i18n import say

DEFAULT_TIMEOUT = 600.0  # seconds per plugin; a province-sized overlap run fits well within
# seconds after which a call still running is named on stderr, once (0: never); tests lower it
SLOW_NOTICE = 10.0


class Abandoned(BaseException):
    """Raised asynchronously in a plugin thread that ran past its time."""


@dataclass
class Outcome:
    value: Any = None
    error: str | None = None  # "TypeError: message" when the call failed or timed out
    timed_out: bool = False
    traceback: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def plugin_timeout() -> float:
    """Seconds one plugin's Python rules (together) and each of its hooks may take."""
    from .limits import env_seconds

    return env_seconds("PROBIS_RULE_TIMEOUT", DEFAULT_TIMEOUT)


def call_guarded(fn: Callable[[], Any], timeout: float, name: str,
                 budget: float | None = None) -> Outcome:
    """Call ``fn`` for at most ``timeout`` seconds, in this thread when a ``SIGALRM`` timer
    can guard it, else in a worker thread. ``budget`` is the configured limit the message
    names when ``timeout`` is what remains of it."""
    limit = budget if budget is not None else timeout
    if _alarm_usable():
        return _call_under_alarm(fn, timeout, name, limit)
    return _call_in_thread(fn, timeout, name, limit)


def _notice_slow(name: str, after: float) -> None:
    """Say on stderr which plugin call is still running (``name`` is ``plugin:rule id`` or
    ``plugin:hook``): a long silence otherwise looks like a hang."""
    plugin, _, what = name.partition(":")
    if what == "load":
        what_id, what_en = "memuat", "loading"
    elif what.startswith("probis_"):
        what_id, what_en = f"hook {what}", f"hook {what}"
    else:
        what_id, what_en = f"aturan {what}", f"rule {what}"
    stream = sys.stderr
    try:
        start = "\r\x1b[K" if stream.isatty() else ""  # over a progress bar, if one is drawn
        stream.write(f"{start}probis: " + say(
            f"plugin `{plugin}` ({what_id}) masih berjalan setelah {after:g} detik",
            f"plugin `{plugin}` ({what_en}) still running after {after:g} s") + "\n")
        stream.flush()
    except (OSError, ValueError, RuntimeError):  # closed, or written to when the signal came
        pass


def _slow_notice_due(timeout: float) -> bool:
    return 0 < SLOW_NOTICE < timeout


_TIMED_OUT = "TimeoutError: did not finish within {limit:g} s (PROBIS_RULE_TIMEOUT)"
_alarm_busy = False  # a guarded call runs under our timer in this process right now


def _alarm_usable() -> bool:
    return (hasattr(signal, "setitimer") and not _alarm_busy
            and os.environ.get("PROBIS_PLUGIN_GUARD", "").strip().lower() != "thread"
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) is signal.SIG_DFL  # None: set from C code
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


def _call_under_alarm(fn: Callable[[], Any], timeout: float, name: str,
                      limit: float) -> Outcome:
    global _alarm_busy
    armed = True  # the handler raises only while this is set, and at most once
    notice = _slow_notice_due(timeout)  # the first alarm is the slow notice, the next the end
    deadline = time.monotonic() + timeout

    def on_alarm(signum: int, frame: Any) -> None:
        nonlocal armed, notice
        if not armed:
            return
        if notice:
            notice = False
            _notice_slow(name, SLOW_NOTICE)
            left = deadline - time.monotonic()
            if left > 0:
                signal.setitimer(signal.ITIMER_REAL, left)
                return
        armed = False
        raise Abandoned

    previous = signal.signal(signal.SIGALRM, on_alarm)
    _alarm_busy = True
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL,
                             SLOW_NOTICE if notice else max(timeout, 1e-6))
            value = fn()
        finally:
            armed = False  # from here on a late signal does nothing
        return Outcome(value=value)
    except Abandoned:
        return Outcome(error=_TIMED_OUT.format(limit=limit), timed_out=True)
    except KeyboardInterrupt:  # the user's Ctrl-C stops the audit, as it did in join()
        raise
    except BaseException as exc:  # noqa: BLE001 - plugin code may raise anything
        return _failed(exc, name)
    finally:
        # disarm before restoring: a signal the timer sent is delivered by the time
        # setitimer returns, so the previous (default: terminate) action never sees it
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _alarm_busy = False


def _call_in_thread(fn: Callable[[], Any], timeout: float, name: str, limit: float) -> Outcome:
    box: dict[str, Outcome] = {}

    def target() -> None:
        try:
            box["outcome"] = Outcome(value=fn())
        except Abandoned:
            pass
        except BaseException as exc:  # noqa: BLE001 - plugin code may raise anything
            box["outcome"] = _failed(exc, name)

    thread = threading.Thread(target=target, name=f"probis-plugin:{name}", daemon=True)
    thread.start()
    if _slow_notice_due(timeout):
        thread.join(SLOW_NOTICE)
        if thread.is_alive():
            _notice_slow(name, SLOW_NOTICE)
        thread.join(max(timeout - SLOW_NOTICE, 0.0))
    else:
        thread.join(max(timeout, 0.0))
    if thread.is_alive():
        _ask_to_stop(thread)
        return Outcome(error=_TIMED_OUT.format(limit=limit), timed_out=True)
    return box.get("outcome", Outcome())


def _failed(exc: BaseException, name: str) -> Outcome:
    """The outcome of a call that raised: the error and the last frames of its traceback
    (call this inside the ``except`` block that caught ``exc``). The whole traceback is kept
    for ``probis check --traceback`` (``failure_tracebacks``)."""
    import traceback  # only a failing call needs it (start-up)

    if len(_tracebacks) < MAX_TRACEBACKS:
        _tracebacks.append((name, traceback.format_exc()))
    return Outcome(error=f"{type(exc).__name__}: {exc}",
                   traceback=traceback.format_exc(limit=-3).splitlines()[-6:])


MAX_TRACEBACKS = 100  # kept per process: the first failures are the ones to read
_tracebacks: list[tuple[str, str]] = []  # (plugin:rule or plugin:hook, full traceback)


def failure_tracebacks() -> list[tuple[str, str]]:
    """``(call, traceback)`` of every guarded call that raised in this process so far, in
    order, each once (a call is named ``plugin:rule id`` or ``plugin:hook``)."""
    return list(dict.fromkeys(_tracebacks))


def clear_failure_tracebacks() -> None:
    """Forget the tracebacks kept so far (a forked child: its parent has them)."""
    _tracebacks.clear()


def add_failure_tracebacks(kept: list[tuple[str, str]]) -> None:
    """Take over the tracebacks a forked child kept (engine/parallel.py)."""
    _tracebacks.extend(kept[:max(0, MAX_TRACEBACKS - len(_tracebacks))])


def _ask_to_stop(thread: threading.Thread) -> None:
    if thread.ident is None:
        return
    import ctypes  # only a hook past its time limit needs it (start-up)

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                               ctypes.py_object(Abandoned))
