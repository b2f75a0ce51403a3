"""The one adapter between probis and durable-rules (its worker side: engine/durable_worker.py).

Rule files are compiled into a single durable-rules ruleset (a plain dict, actions named by
string) and the facts of one run are asserted into it. Facts that the design notes
(../shared/design.md) and our own measurements taught us to respect:

- We use our own ``Host`` subclass, never the module-level DSL host, and give each compiled
  ruleset a name derived from its content hash, so a name is never registered twice.
- Each fact of a session carries a message id of ours: the engine tells messages apart by a
  32-bit hash of their id only (engine/durable_worker.py ``message_ids``).
- Each run uses its own ``sid`` and deletes that state afterwards. ``delete_state`` segfaults
  when no fact of the sid was handled, so every run also asserts a sentinel fact that a
  sentinel rule handles.
- The host's background dispatch threads are not started (``_run`` is a no-op). Instead,
  after asserting, we drain every pending action ourselves until the engine has none left, so
  completeness does not depend on timers. A fact no rule matches raises
  ``MessageNotHandledException`` *after* the others were asserted; we expect that and drain.
- durable-rules is a C extension that has segfaulted on some rule shapes (upstream #381).
  It therefore runs in a worker process: a crash there becomes an engine finding and the rest
  of the audit stands. On Linux that worker is forked from the audit (engine/durable_fork.py,
  no new interpreter); elsewhere, with several shards, or with ``PROBIS_DURABLE_WORKER=spawn``
  it is a spawned process. ``PROBIS_DURABLE_INPROCESS=1`` runs it in-process (profiling only).
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import durable_fork

# the worker side lives in its own module: lighter to import in the worker process
from .durable_worker import (
    SENTINEL_KIND,
    SENTINEL_RULE,
    Match,
    _evaluate,
    _evaluate_stamped,
    warm_up,
)
from .rule import DeclarativeRule, applies_kinds

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


class BridgeError(RuntimeError):
    """durable-rules failed (crashed, hung or raised); the message says which."""


def compile_ruleset(rules: Sequence[DeclarativeRule]) -> dict[str, Any]:
    """One durable-rules ruleset body for the given rules: ``{rule_name: {all, run}}``."""
    body: dict[str, Any] = {}
    for i, rule in enumerate(rules):
        for j, case in enumerate(rule.cases):
            kinds = applies_kinds(rule.info)
            kind_cond: dict[str, Any] = (
                {"t": kinds[0]} if len(kinds) == 1 else {"$or": [{"t": k} for k in kinds]})
            parts: list[Any] = [kind_cond]
            if rule.applies_if is not None:
                parts.append(copy.deepcopy(dict(rule.applies_if)))
            parts.append(copy.deepcopy(dict(case.when)))
            body[f"r{i}_{j}"] = {"all": [{"m": {"$and": parts}}], "run": f"{i}:{j}"}
    if body:
        # Every run asserts one sentinel fact that this rule handles, so the run's state
        # always exists: delete_state on a sid whose facts all went unhandled segfaults
        # (measured on durable-rules 2.0.28).
        body[SENTINEL_RULE] = {"all": [{"m": {"t": SENTINEL_KIND}}], "run": SENTINEL_RULE}
    return body


def run_ruleset(body: dict[str, Any], facts: list[dict[str, Any]], timeout: float | None,
                *, as_events: bool = False, jobs: int = 1) -> list[Match]:
    """Assert ``facts`` into the compiled ruleset; return every match, sorted.

    With ``as_events`` the records are *posted* as durable-rules events instead of asserted
    as facts: an event is consumed by the rule it matches and never retained. The sentinel
    is still a fact. Every record gets a message id of its own in the worker
    (``durable_worker.message_ids``): the engine's ids, derived from the content, made two
    records one now and then and dropped the second without a word.

    With ``jobs`` > 1 a large batch of facts is split over that many worker processes
    (each shard in its own session): a rule matches one fact at a time, so the union of the
    shards' matches is the same. Events are never split (kept as one stream).
    """
    return start_ruleset(body, facts, timeout, as_events=as_events, jobs=jobs)()


def start_ruleset(body: dict[str, Any], facts: list[dict[str, Any]], timeout: float | None,
                  *, as_events: bool = False, jobs: int = 1) -> Callable[[], list[Match]]:
    """``run_ruleset`` in two halves: the worker process starts on the facts now, and the
    returned function waits for its matches (raising BridgeError as ``run_ruleset`` does),
    so the caller can work in the meantime. The time limit counts from now."""
    if not body or not facts:
        return list
    payload = json.dumps(body, sort_keys=True)
    if os.environ.get("PROBIS_DURABLE_INPROCESS") == "1" or _daemonic():
        return lambda: _evaluate(payload, facts, as_events)
    shards = 1 if as_events else min(jobs, len(facts) // _MIN_FACTS_PER_SHARD)
    if shards <= 1 and (durable_fork.ForkedWorker.current() is not None
                        or durable_fork.usable()):
        return _forked_start(payload, facts, timeout, as_events)
    if shards <= 1:
        return _Worker.shared().start(payload, [facts], timeout, as_events)
    size = -(-len(facts) // shards)
    parts = [facts[i:i + size] for i in range(0, len(facts), size)]
    receive = _Worker.shared().start(payload, parts, timeout)
    return lambda: sorted(set(receive()))


# Below this many facts per worker a second worker costs more than it saves: a spawned one
# starts an interpreter and imports durable-rules, while the forked worker is already
# waiting (and works while this process runs the Python rules). Figures: docs/design-notes.md
_MIN_FACTS_PER_SHARD = 100000


def _daemonic() -> bool:
    """A daemonic process (a Dask worker running check-many tasks) may not start children:
    durable-rules then runs in that process, which is itself the isolated worker (a crash
    fails the one task, and the cluster replaces the worker)."""
    mp = sys.modules.get("multiprocessing")  # a multiprocessing worker has imported it
    return mp is not None and bool(mp.current_process().daemon)


def _forked_start(payload: str, facts: list[dict[str, Any]], timeout: float | None,
                  as_events: bool) -> Callable[[], list[Match]]:
    """One evaluation in the forked worker, its failures as the spawned worker's."""
    receive = _forked_errors(lambda: durable_fork.ForkedWorker.shared().start(
        payload, facts, timeout, as_events), timeout)
    return lambda: _forked_errors(receive, timeout)


def _forked_errors(call: Callable[[], Any], timeout: float | None) -> Any:
    try:
        return call()
    except durable_fork.WorkerDied:
        raise BridgeError(
            "the durable-rules worker process died (crash in the C engine)") from None
    except durable_fork.WorkerTimeout:
        raise BridgeError(f"durable-rules did not finish within {timeout} s") from None
    except durable_fork.WorkerRaised as exc:
        raise BridgeError(f"durable-rules raised {exc}") from None
    except OSError as exc:  # no fork or pipe left
        raise BridgeError(f"the durable-rules worker could not start: {exc}") from None


def spawns_nothing() -> bool:
    """Whether a single-shard evaluation started now runs without a spawned interpreter (in
    this process, or in a worker forked from it, which dies with it): only such work may be
    handed to a forked child that can be killed without a word (engine/runner.py)."""
    if os.environ.get("PROBIS_DURABLE_INPROCESS") == "1" or _daemonic():
        return True
    return durable_fork.ForkedWorker.current() is not None or durable_fork.usable()


def prestart() -> None:
    """Start the worker process and its durable-rules import now, so that they overlap the
    reading of the workspace instead of waiting in front of the first rule file."""
    if os.environ.get("PROBIS_DURABLE_INPROCESS") == "1" or _daemonic():
        return
    with contextlib.suppress(Exception):  # a worker that cannot start fails later, named
        if durable_fork.usable():
            durable_fork.ForkedWorker.shared()  # the child imports durable-rules at once
        else:
            _Worker.shared()._pool().submit(warm_up)


def shutdown() -> None:
    """Stop the worker processes now. A process that is itself a multiprocessing worker
    (check-many) must call this before it exits: its exit joins its children, and the
    durable-rules workers would otherwise wait for work forever."""
    forked = durable_fork.ForkedWorker.current()
    if forked is not None:
        forked.discard()
    if _Worker._instance is not None and _Worker._instance.owner == os.getpid():
        _Worker._instance._discard()


def kill_now() -> None:
    """SIGKILL this process's worker processes without waiting for anything: for a process
    that is about to leave from a signal handler (a check-many worker told to stop), where
    the pool's locks may be held by the code the signal interrupted."""
    forked = durable_fork.ForkedWorker.current()
    if forked is not None:
        forked.kill_now()
    worker = _Worker._instance
    if worker is None or worker.owner != os.getpid() or worker.pool is None:
        return
    for process in list(getattr(worker.pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, ValueError, TypeError):
            os.kill(process.pid, signal.SIGKILL)


class _Worker:
    """A single long-lived worker process, recreated after a crash or a timeout."""

    _instance: _Worker | None = None

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.size = 1
        # A forked child (check-many's pool workers) inherits this object: the pool is its
        # parent's, whose processes and threads it must neither use nor shut down.
        self.owner = os.getpid()

    @classmethod
    def shared(cls) -> _Worker:
        if cls._instance is None or cls._instance.owner != os.getpid():
            cls._instance = cls()
        return cls._instance

    def _pool(self, size: int = 1) -> ProcessPoolExecutor:
        if self.pool is not None and size > self.size:
            self._discard()  # grow: --jobs asked for more workers than this pool has
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.size = max(size, 1)
            self.pool = ProcessPoolExecutor(
                max_workers=self.size, mp_context=multiprocessing.get_context("spawn")
            )
        return self.pool

    def _discard(self) -> None:
        """Kill the worker processes and wait for the pool's manager thread: if it is still
        closing its wake-up pipe when the interpreter's exit hook writes to that pipe, the
        exit prints a "Bad file descriptor" traceback (a race in CPython 3.11's
        ProcessPoolExecutor; seen after a crash in the C engine). The processes are dead, so
        the wait is short."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            if process.is_alive():
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)

    def call(self, payload: str, facts: list[dict[str, Any]], timeout: float | None,
             as_events: bool = False) -> list[Match]:
        return self.call_many(payload, [facts], timeout, as_events)

    def call_many(self, payload: str, shards: list[list[dict[str, Any]]],
                  timeout: float | None, as_events: bool = False) -> list[Match]:
        return self.start(payload, shards, timeout, as_events)()

    def start(self, payload: str, shards: list[list[dict[str, Any]]],
              timeout: float | None, as_events: bool = False) -> Callable[[], list[Match]]:
        """Submit one evaluation per shard now; the returned function waits for them."""
        pool = self._pool(len(shards))
        futures = [pool.submit(_evaluate_stamped, payload, facts, as_events)
                   for facts in shards]
        deadline = None if timeout is None else time.monotonic() + timeout
        return lambda: self._results(futures, deadline, timeout)

    def _results(self, futures: list[Any], deadline: float | None,
                 timeout: float | None) -> list[Match]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            out: list[Match] = []
            for future in futures:
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                matches, finished = future.result(timeout=left)
                if deadline is not None and finished > deadline:
                    # done after its limit while the caller was busy: the limit holds all
                    # the same, as for the forked worker (engine/durable_fork.py)
                    raise TimeoutError
                out += matches
            return out
        except BrokenProcessPool:
            self._discard()
            raise BridgeError(
                "the durable-rules worker process died (crash in the C engine)") from None
        except TimeoutError:
            self._discard()
            raise BridgeError(f"durable-rules did not finish within {timeout} s") from None
        except Exception as exc:  # an error raised inside durable-rules
            raise BridgeError(f"durable-rules raised {type(exc).__name__}: {exc}") from None
