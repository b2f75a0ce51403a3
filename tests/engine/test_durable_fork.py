"""The forked durable-rules worker (engine/durable_fork.py) keeps the spawned worker's
guarantees: a crash in the C engine, a run past its time limit and an error inside
durable-rules each become a BridgeError, and the next run gets a fresh worker."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from probis.engine import durable_bridge, durable_fork
from probis.engine.durable_bridge import BridgeError, run_ruleset

pytestmark = pytest.mark.skipif(not durable_fork.usable(),
                                reason="the forked worker needs Linux and one thread")

SIMPLE = {"r0_0": {"all": [{"m": {"$and": [{"t": "x"}, {"unit": "u1"}]}}], "run": "0:0"},
          "probis_sentinel": {"all": [{"m": {"t": "__probis_sentinel__"}}],
                              "run": "probis_sentinel"}}
FACTS = [{"t": "x", "n": i, "unit": f"u{i % 7}"} for i in range(10)]


@pytest.fixture(autouse=True)
def fresh_worker() -> Iterator[None]:
    durable_bridge.shutdown()
    yield
    durable_bridge.shutdown()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_rule_files_run_in_a_forked_child_not_in_this_process() -> None:
    assert run_ruleset(SIMPLE, FACTS, 60) == [(0, 0, 1), (0, 0, 8)]
    worker = durable_fork.ForkedWorker.current()
    assert worker is not None and worker.pid != os.getpid() and _alive(worker.pid)
    assert durable_bridge._Worker._instance is None or durable_bridge._Worker._instance.pool is None
    assert run_ruleset(SIMPLE, FACTS[:5], 60) == [(0, 0, 1)]  # the same child serves again
    assert durable_fork.ForkedWorker.current() is worker
    pid = worker.pid
    durable_bridge.shutdown()
    assert durable_fork.ForkedWorker.current() is None and not _alive(pid)


def test_a_crash_in_the_c_engine_is_a_bridge_error_and_the_next_run_forks_anew() -> None:
    # a real segfault inside an audit: tests/engine/test_plugin_failures.py; here the
    # child dies of the same signal at a known moment
    assert run_ruleset(SIMPLE, FACTS, 60)  # the child is serving
    worker = durable_fork.ForkedWorker.current()
    assert worker is not None
    os.kill(worker.pid, signal.SIGSEGV)
    with pytest.raises(BridgeError, match="died"):
        run_ruleset(SIMPLE, FACTS, 60)
    assert durable_fork.ForkedWorker.current() is None
    assert run_ruleset(SIMPLE, FACTS, 60) == [(0, 0, 1), (0, 0, 8)]


def test_a_run_past_its_time_limit_is_killed() -> None:
    durable_bridge.prestart()
    worker = durable_fork.ForkedWorker.current()
    assert worker is not None
    pid = worker.pid
    os.kill(pid, signal.SIGSTOP)  # a worker that never answers, as a hung engine
    with pytest.raises(BridgeError, match="did not finish within 0.5 s"):
        run_ruleset(SIMPLE, FACTS * 2000, 0.5)  # more than a pipe holds: the write waits too
    assert durable_fork.ForkedWorker.current() is None and not _alive(pid)


def test_an_error_inside_durable_rules_is_named() -> None:
    bogus = {"r0_0": {"all": [{"m": {"$and": 5}}], "run": "0:0"}}  # the engine refuses it
    with pytest.raises(BridgeError, match="durable-rules raised error: Could not create"):
        run_ruleset(bogus, FACTS, 60)
    assert run_ruleset(SIMPLE, FACTS, 60) == [(0, 0, 1), (0, 0, 8)]  # the same child goes on


def test_a_forked_grandchild_leaves_its_parents_worker_alone() -> None:
    durable_bridge.prestart()
    parent = durable_fork.ForkedWorker.current()
    assert parent is not None
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            ok = durable_fork.ForkedWorker.current() is None
            durable_bridge.shutdown()  # as a check-many pool worker does at its exit
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert _alive(parent.pid)
    assert run_ruleset(SIMPLE, FACTS, 60) == [(0, 0, 1), (0, 0, 8)]


def test_spawn_is_kept_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_DURABLE_WORKER", "spawn")
    assert not durable_fork.usable()


def test_a_started_run_answers_after_its_caller_worked_past_the_time_limit() -> None:
    # the audit sends the facts, runs the Python rules, then takes the matches: an answer
    # the worker wrote in time is taken even when the caller comes back after the limit
    receive = durable_bridge.start_ruleset(SIMPLE, FACTS, 0.5)
    time.sleep(0.8)
    assert receive() == [(0, 0, 1), (0, 0, 8)]


def _held_worker() -> durable_fork.ForkedWorker:
    """The forked worker, started and then stopped (SIGSTOP) as a slow rule set holds it."""
    durable_bridge.prestart()
    worker = durable_fork.ForkedWorker.current()
    assert worker is not None
    os.kill(worker.pid, signal.SIGSTOP)
    return worker


def test_an_answer_finished_after_the_limit_is_a_timeout_though_the_caller_was_busy() -> None:
    # the worker is held (as a slow rule set would be) until past the limit, then answers
    # before the caller comes back: the limit still holds
    worker = _held_worker()
    try:
        receive = durable_bridge.start_ruleset(SIMPLE, FACTS, 0.2)
        time.sleep(0.4)
    finally:
        os.kill(worker.pid, signal.SIGCONT)
    time.sleep(0.4)  # the answer is written now, after the deadline
    with pytest.raises(BridgeError, match="did not finish within 0.2 s"):
        receive()
    assert run_ruleset(SIMPLE, FACTS, 60) == [(0, 0, 1), (0, 0, 8)]


def test_a_second_run_while_one_is_outstanding_keeps_both_answers() -> None:
    # a Python rule may run rule sets itself (restructure's triggers) while the rule files'
    # request is outstanding: each caller gets its own matches
    first = durable_bridge.start_ruleset(SIMPLE, FACTS, 60)
    assert run_ruleset(SIMPLE, FACTS[:5], 60) == [(0, 0, 1)]
    second = durable_bridge.start_ruleset(SIMPLE, FACTS[7:], 60)
    assert second() == [(0, 0, 8)]
    assert first() == [(0, 0, 1), (0, 0, 8)]


def test_an_outstanding_run_of_a_worker_that_dies_is_a_bridge_error() -> None:
    worker = _held_worker()
    receive = durable_bridge.start_ruleset(SIMPLE, FACTS, 60)
    os.kill(worker.pid, signal.SIGKILL)
    with pytest.raises(BridgeError, match="died"):
        receive()
    assert run_ruleset(SIMPLE, FACTS, 60) == [(0, 0, 1), (0, 0, 8)]
