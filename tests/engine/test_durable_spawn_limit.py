"""The spawned durable-rules worker (non-Linux, several shards, ``PROBIS_DURABLE_WORKER=spawn``)
holds the time limit as the forked one does: an answer finished in time is taken though the
caller comes back late, one finished after the limit is a timeout though nobody waited."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from probis.engine import durable_bridge
from probis.engine.durable_bridge import BridgeError

SIMPLE = {"r0_0": {"all": [{"m": {"$and": [{"t": "x"}, {"unit": "u1"}]}}], "run": "0:0"},
          "probis_sentinel": {"all": [{"m": {"t": "__probis_sentinel__"}}],
                              "run": "probis_sentinel"}}
FACTS = [{"t": "x", "n": i, "unit": f"u{i % 7}"} for i in range(10)]


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """A warm spawned worker; its pids."""
    monkeypatch.setenv("PROBIS_DURABLE_WORKER", "spawn")
    durable_bridge.shutdown()
    assert durable_bridge.run_ruleset(SIMPLE, FACTS, 120) == [(0, 0, 1), (0, 0, 8)]
    pool = durable_bridge._Worker.shared().pool
    assert pool is not None
    yield [p.pid for p in pool._processes.values()]
    durable_bridge.shutdown()


def test_an_answer_finished_in_time_is_taken_after_the_caller_worked_past_the_limit(
        spawned: list[int]) -> None:
    receive = durable_bridge.start_ruleset(SIMPLE, FACTS, 0.5)
    time.sleep(0.8)
    assert receive() == [(0, 0, 1), (0, 0, 8)]


def test_an_answer_finished_after_the_limit_is_a_timeout_though_the_caller_was_busy(
        spawned: list[int]) -> None:
    for pid in spawned:  # held, as a slow rule set would hold it, until past the limit
        os.kill(pid, signal.SIGSTOP)
    try:
        receive = durable_bridge.start_ruleset(SIMPLE, FACTS, 0.2)
        time.sleep(0.4)
    finally:
        for pid in spawned:
            os.kill(pid, signal.SIGCONT)
    time.sleep(0.5)  # the answer is written now, after the deadline
    with pytest.raises(BridgeError, match="did not finish within 0.2 s"):
        receive()
