"""Stopping a run that is told to stop, without leaving processes behind.

Ctrl-C in a terminal sends SIGINT to the whole foreground process group: every worker gets it
and stops on its own. SIGTERM (``kill``, a CI job's timeout, ``systemctl stop``, ``docker
stop``) reaches the probis process only, and its workers would run on for minutes: the
loading pool and the forked Python-rule children (engine/parallel.py), the durable-rules
worker (engine/durable_bridge.py), check-many's pool and the durable-rules workers of its
workers (engine/many.py), and the multiprocessing resource tracker.

So the command line, when probis is the program, makes SIGTERM take Ctrl-C's path:
``install`` turns it into ``Terminated`` (a ``KeyboardInterrupt``) in the main thread, the run
unwinds as it does for Ctrl-C (pools are stopped on the way out), and ``stop_children`` then
ends what is left; the resource tracker leaves once nobody holds its pipe, as this process
exits. The exit code is ``EXIT_TERMINATED`` (143, 128 + SIGTERM, as a shell reports a
process that SIGTERM killed); Ctrl-C exits with 130.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Any

EXIT_TERMINATED = 128 + signal.SIGTERM  # 143


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when the process receives SIGTERM."""


_installed = False
_received = False


def install() -> None:
    """Turn SIGTERM into ``Terminated`` in this process (call from the main thread, and only
    when probis is the program: a library must not take over its host's signals). Processes
    forked afterwards get the default action back, so that stopping them stays immediate."""
    global _installed
    if threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGTERM, _on_sigterm)
    if not _installed:
        os.register_at_fork(after_in_child=_default_in_child)
        _installed = True


def terminated() -> bool:
    """True once this process received SIGTERM through ``install``'s handler."""
    return _received


def _on_sigterm(signum: int, frame: Any) -> None:
    global _received
    if _received:  # already unwinding: a second SIGTERM must not break the clean-up
        return
    _received = True
    raise Terminated


def _default_in_child() -> None:
    # a forked worker is stopped by its parent (SIGTERM or SIGKILL): it dies at once
    with contextlib.suppress(ValueError, OSError):
        if signal.getsignal(signal.SIGTERM) is _on_sigterm:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stop_children() -> None:
    """End every process this one started and did not stop on the way out: forked
    Python-rule children and durable-rules workers.

    The resource tracker is left to leave by itself: it does when the last process holding
    its pipe is gone, that is right after this one exits. Closing our end earlier makes it
    unlink semaphores this process still holds (the interrupted frames keep pools alive), and
    their clean-up at exit then prints tracebacks and starts a new tracker (seen)."""
    parallel = sys.modules.get("probis.engine.parallel")
    if parallel is not None:
        parallel.stop_children()
    bridge = sys.modules.get("probis.engine.durable_bridge")
    if bridge is not None:
        bridge.shutdown()
