"""Running plugin code so that it cannot take the audit down: errors, garbage and hangs.

Every call into a plugin during an audit (a Python rule's ``check``, ``probis_facts``,
``probis_report_sections``) goes through ``call_guarded``. It runs the call in a daemon worker
thread and waits at most ``timeout`` seconds:

- an exception (even ``SystemExit`` from plugin code) comes back as ``Outcome.error``;
- a call that does not return in time is *abandoned*: the audit goes on without its result.
  Python cannot kill a thread, so the thread is first asked to stop (an asynchronous
  exception, which ends a pure-Python loop at its next bytecode) and, if it is stuck in C
  code or a sleep, left running as a daemon thread: it never receives the audit's later
  data, nothing reads what it produces, and it dies with the process. Because probis is a
  command-line run, that bounds the damage to some CPU time until the report is written.

Threads rather than processes: a rule reads the whole resolved workspace, and copying it to
a process per plugin costs more than most rules do. The C engine of durable-rules, which can
crash the process itself, runs in a worker process instead (durable_bridge).
"""

from __future__ import annotations

import ctypes
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT = 600.0  # seconds per plugin; a province-sized overlap run fits well within


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
    raw = os.environ.get("PROBIS_RULE_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        from .errors import ProbisUsageError

        raise ProbisUsageError(f"PROBIS_RULE_TIMEOUT={raw!r}: harus angka detik positif / "
                               "must be a positive number of seconds")
    return value


def call_guarded(fn: Callable[[], Any], timeout: float, name: str,
                 budget: float | None = None) -> Outcome:
    """Call ``fn`` in a worker thread for at most ``timeout`` seconds. ``budget`` is the
    configured limit the message names when ``timeout`` is what remains of it."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except Abandoned:
            pass
        except BaseException as exc:  # noqa: BLE001 - plugin code may raise anything
            box["error"] = f"{type(exc).__name__}: {exc}"
            box["traceback"] = traceback.format_exc(limit=-3).splitlines()[-6:]

    thread = threading.Thread(target=target, name=f"probis-plugin:{name}", daemon=True)
    thread.start()
    thread.join(max(timeout, 0.0))
    if thread.is_alive():
        _ask_to_stop(thread)
        limit = budget if budget is not None else timeout
        return Outcome(error=f"TimeoutError: did not finish within {limit:g} s "
                             "(PROBIS_RULE_TIMEOUT)", timed_out=True)
    if "error" in box:
        return Outcome(error=box["error"], traceback=box["traceback"])
    return Outcome(value=box.get("value"))


def _ask_to_stop(thread: threading.Thread) -> None:
    if thread.ident is None:
        return
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                               ctypes.py_object(Abandoned))
