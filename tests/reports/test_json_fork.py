"""A large list of the JSON report is rendered partly in a forked child: the same bytes, in
order, and never a child left behind (engine/ordered_fork.py)."""

from __future__ import annotations

import json
import os
import select
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from probis.engine import durable_bridge, ordered_fork, parallel
from probis.engine.cli import cli
from probis.engine.render import json_format
from probis.engine.render.json_format import iter_report_bytes

from .conftest import AS_OF

pytestmark = pytest.mark.skipif(parallel._fork_context() is None, reason="needs fork")


@pytest.fixture(autouse=True)
def single_threaded() -> None:
    """The renderer forks only while no other thread runs: an earlier test of this process may
    have left a spawned worker pool (its threads) or a plugin thread abandoned in a sleep."""
    durable_bridge.shutdown()
    deadline = time.monotonic() + 10
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.05)


def reference(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _finding(i: int) -> dict[str, Any]:
    return {"rule": "OVL001", "element": f"PB.{i:05d}",
            "message": {"id": f"Tumpang tindih \u2014 \"{i}\"\nbaris", "en": "Overlap"},
            "score": i / 7, "tiny": 1e-05 if i % 97 == 0 else 0.5,
            "big": 2**70 if i == 300 else i, "keys": {1: "bukan teks"} if i == 500 else {}}


@pytest.fixture
def heavy(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A report whose findings are forked: small chunks, any size large enough."""
    monkeypatch.setattr(json_format, "CHUNK_ITEMS", 16)
    monkeypatch.setattr(json_format, "FORK_MIN_BYTES", 1)
    return {"score": 71.25, "findings": [_finding(i) for i in range(1500)], "checks": [1, 2]}


def _children() -> set[int]:
    return set(parallel._live)


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _started(pieces: Iterator[bytes], before: set[int]) -> tuple[list[bytes], int]:
    """Pieces read until a rendering child runs; that child's pid."""
    got = []
    while not (_children() - before):
        got.append(next(pieces))
    (pid,) = _children() - before
    return got, pid


def test_forked_and_serial_rendering_give_the_same_bytes(heavy: dict[str, Any]) -> None:
    before = _children()
    serial = b"".join(iter_report_bytes(heavy, jobs=1))
    assert _children() == before  # jobs=1: no child
    pieces = iter_report_bytes(heavy, jobs=2)
    got, pid = _started(pieces, before)
    forked = b"".join(got) + b"".join(pieces)
    assert forked == serial == reference(heavy)
    assert pid not in parallel._live and _reaped(pid)


def test_both_processes_render_and_the_pieces_come_in_order() -> None:
    parent = os.getpid()

    def render(i: int) -> bytes:
        time.sleep(0.002)  # both have time to claim some
        return f"{i}:{'parent' if os.getpid() == parent else 'child'};".encode()

    pieces = list(ordered_fork.ordered_pieces(render, 200, ahead=2))
    assert [p.split(b":")[0] for p in pieces] == [str(i).encode() for i in range(200)]
    assert {p.split(b":")[1] for p in pieces} == {b"parent;", b"child;"}


def _sized(parent: int, i: int) -> bytes:
    """Piece ``i``: 1 to 160 bytes, saying who rendered it."""
    time.sleep(0.0005)  # both have time to claim some
    who = b"p" if os.getpid() == parent else b"c"
    return (f"<{i}:".encode() + who * (i * 37 % 150)) + b">"


@pytest.mark.parametrize("ring_bytes", [100, 64], ids=["wraps-and-waits", "some-too-large"])
def test_a_small_ring_wraps_waits_and_sends_larger_pieces_through_the_pipe(
        ring_bytes: int) -> None:
    """The child waits for space in the ring, starts again at its beginning, and sends a
    piece larger than the ring through the pipe: the same pieces, in order."""
    parent = os.getpid()

    def late(*_: object) -> None:  # a child and a parent waiting for each other: fail
        raise TimeoutError("the ring's pieces did not come")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(30)
    try:
        pieces = list(ordered_fork.ordered_pieces(lambda i: _sized(parent, i), 400, ahead=3,
                                                  ring_bytes=ring_bytes))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [p.split(b":")[0] for p in pieces] == [f"<{i}".encode() for i in range(400)]
    assert all(len(p) == len(_sized(parent, i)) for i, p in enumerate(pieces))
    from_child = [p for p in pieces if b"c" in p]
    assert from_child and any(b"p" in p for p in pieces)
    assert {len(p) > ring_bytes for p in from_child} == {True, False}  # both ways used


def test_a_child_that_dies_leaves_its_pieces_to_the_parent() -> None:
    parent = os.getpid()

    def render(i: int) -> bytes:
        if os.getpid() != parent and i >= 20:
            os.kill(os.getpid(), signal.SIGKILL)  # mid-run, having claimed i
        time.sleep(0.001)
        return str(i).encode()

    assert list(ordered_fork.ordered_pieces(render, 100)) == [str(i).encode()
                                                               for i in range(100)]


def test_a_killed_child_still_gives_the_same_report_bytes(heavy: dict[str, Any]) -> None:
    before = _children()
    pieces = iter_report_bytes(heavy, jobs=2)
    got, pid = _started(pieces, before)
    os.kill(pid, signal.SIGKILL)
    assert b"".join(got) + b"".join(pieces) == reference(heavy)
    assert pid not in parallel._live and _reaped(pid)


def test_closing_the_pieces_early_leaves_no_child(heavy: dict[str, Any]) -> None:
    before = _children()
    pieces = iter_report_bytes(heavy, jobs=2)
    _, pid = _started(pieces, before)
    next(pieces)
    pieces.close()  # the consumer stops (a failed write, an error)
    assert pid not in parallel._live and _reaped(pid)


def test_an_interrupt_while_rendering_leaves_no_child(heavy: dict[str, Any]) -> None:
    before = _children()
    pieces = iter_report_bytes(heavy, jobs=2)
    _, pid = _started(pieces, before)
    with pytest.raises(KeyboardInterrupt):
        pieces.throw(KeyboardInterrupt)
    assert pid not in parallel._live and _reaped(pid)


def test_stop_children_ends_a_rendering_child(heavy: dict[str, Any]) -> None:
    """Ctrl-C or SIGTERM unwinding elsewhere: termination.stop_children ends the child; the
    generator then finishes without waiting for it, and without a second reap."""
    before = _children()
    pieces = iter_report_bytes(heavy, jobs=2)
    got, pid = _started(pieces, before)
    parallel.stop_children()
    assert _reaped(pid)
    assert b"".join(got) + b"".join(pieces) == reference(heavy)


def test_no_fork_without_fork_or_for_a_small_list(heavy: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = _children()
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(ordered_fork.os, "fork", lambda: forks.append(1) or real_fork())
    with monkeypatch.context() as m:
        m.setattr(parallel, "_fork_context", lambda: None)
        assert b"".join(iter_report_bytes(heavy, jobs=2)) == reference(heavy)
    monkeypatch.setattr(json_format, "FORK_MIN_BYTES", 1 << 30)
    assert b"".join(iter_report_bytes(heavy, jobs=2)) == reference(heavy)
    assert not forks and _children() == before


def test_a_child_killed_holding_the_claim_lock_does_not_hang_the_parent() -> None:
    ctx = parallel._fork_context()
    counter = ordered_fork._Counter(ctx)
    counter.lock.acquire()  # as a child killed inside claim() leaves it
    ended = lambda: True  # noqa: E731 - its output ended: nobody else claims any more
    assert [counter.claim(ended), counter.claim(ended)] == [0, 1]


def test_the_cli_writes_the_same_report_with_a_forked_renderer(
        city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_format, "CHUNK_ITEMS", 2)
    monkeypatch.setattr(json_format, "FORK_MIN_BYTES", 1)
    forked: list[bool] = []

    def spy(render: Any, n: int, fork: bool = True) -> Iterator[bytes]:
        forked.append(fork)
        return ordered_fork.ordered_pieces(render, n, fork=fork)

    monkeypatch.setattr(json_format, "ordered_pieces", spy)
    written = {}
    for jobs in ("1", "2"):
        target = tmp_path / f"laporan-{jobs}.json"
        result = CliRunner().invoke(cli, ["check", str(city), "-f", "json", "-o", str(target),
                                          "--jobs", jobs, "--as-of", AS_OF.isoformat()])
        assert result.exit_code in (0, 1), result.output
        written[jobs] = target.read_bytes()
        assert any(forked) is (jobs == "2")  # --jobs 1: one process, also for the report
        forked.clear()
    assert written["1"] == written["2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan-1.json", "laporan-2.json"]


def test_a_child_whose_parent_died_holding_the_claim_lock_leaves() -> None:
    counter = ordered_fork._Counter(parallel._fork_context())
    read_fd, write_fd = os.pipe()
    middle = os.fork()
    if middle == 0:  # pragma: no cover - the parent that dies
        try:
            os.close(read_fd)
            counter.parent = os.getpid()
            counter.lock.acquire()
            if os.fork() == 0:  # the rendering child: blocked on the lock, then alone
                try:
                    os.write(write_fd, os.getpid().to_bytes(8, "little"))
                    counter.claim()
                finally:
                    os._exit(0)
        finally:
            os._exit(0)  # killed while holding the lock, as far as the child can tell
    os.close(write_fd)
    os.waitpid(middle, 0)
    child = int.from_bytes(os.read(read_fd, 8), "little")
    readable, _, _ = select.select([read_fd], [], [], 10)  # EOF once the child is gone
    try:
        assert readable and os.read(read_fd, 1) == b""
    finally:
        os.close(read_fd)
        if not readable:  # still blocked: not left behind by the test
            os.kill(child, signal.SIGKILL)


def test_no_fork_while_another_thread_runs() -> None:
    """A library caller's other thread may hold a lock the child would wait for: serial."""
    import threading

    parent, release = os.getpid(), threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        pieces = list(ordered_fork.ordered_pieces(
            lambda i: f"{i}:{os.getpid() == parent}".encode(), 50))
    finally:
        release.set()
        other.join()
    assert pieces == [f"{i}:True".encode() for i in range(50)]


def test_the_child_reads_the_ring_without_its_lock() -> None:
    """A child killed while holding a lock never frees it: the parent would wait for it
    forever when it gives the ring's space back (a killed-child test once hung so)."""
    ring = ordered_fork._Ring(parallel._fork_context(), 64)
    lock = ring.taken.get_lock()
    lock.acquire()  # as a child killed inside it would leave it
    try:
        answers: list[bool] = []
        reader = threading.Thread(target=lambda: answers.append(ring.has_room(0, 10)),
                                  daemon=True)
        reader.start()
        reader.join(5)
        assert answers == [True]
    finally:
        lock.release()
        ring.close()
