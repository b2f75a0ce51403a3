"""--jobs N gives the report of --jobs 1, byte for byte; the synthetic generator is seeded."""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from probis.engine import durable_bridge, parallel
from probis.engine.render.json_format import render_json
from probis.engine.report import build_report
from probis.engine.runner import audit
from testkit import AS_OF, ROOT, SAMPLE_CITY, run_cli


def synth():
    spec = importlib.util.spec_from_file_location(
        "synth_workspace", ROOT / "benchmarks" / "synth_workspace.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth_workspace"] = module
    spec.loader.exec_module(module)
    return module


def report(path: Path, jobs: int) -> bytes:
    return render_json(build_report(audit(path, AS_OF, jobs=jobs)))


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every parallel path run on a small workspace: chunked loading, forked Python
    rules and facts sharded over two durable-rules workers."""
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 5)
    monkeypatch.setattr(durable_bridge, "_MIN_FACTS_PER_SHARD", 50)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = synth()
    a = gen.generate(tmp_path / "a", 400, seed=7)
    b = gen.generate(tmp_path / "b", 400, seed=7)
    assert a == b and a["processes"] == 400 and a["lf_maps"] > 0 and a["defects"] > 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert files_a == files_b
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
               for f in files_a)


def test_jobs_identical_on_generated_workspace(tmp_path: Path, small_thresholds: None) -> None:
    synth().generate(tmp_path / "kota", 600, seed=3)
    serial = report(tmp_path / "kota", 1)
    assert b'"findings": [' in serial and b'"REG001"' in serial  # planted defects are found
    assert report(tmp_path / "kota", 2) == serial
    assert report(tmp_path / "kota", 3) == serial


@pytest.mark.parametrize("worker", ["fork", "spawn"])
def test_jobs_identical_on_sample_city(small_thresholds: None, worker: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # fork: the rule files run in the first forked rule runner, with its own worker;
    # spawn: they stay in this process, their facts sharded over two spawned workers
    monkeypatch.setenv("PROBIS_DURABLE_WORKER", worker)
    durable_bridge.shutdown()  # an earlier test's forked worker would be used
    try:
        if threading.active_count() == 1:  # (an earlier test's abandoned thread forbids a fork)
            assert durable_bridge.spawns_nothing() is (worker == "fork")
        assert report(SAMPLE_CITY, 2) == report(SAMPLE_CITY, 1)
    finally:  # a spawned pool's thread would keep later tests in this process from forking
        durable_bridge.shutdown()


def test_rule_files_that_time_out_in_a_forked_runner_say_so_as_in_serial(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the ENG002 of the child's worker comes back with the child's other results
    monkeypatch.setenv("PROBIS_RULESET_TIMEOUT", "0.000001")
    serial = report(SAMPLE_CITY, 1)
    assert b'"ENG002"' in serial and b"did not finish within" in serial
    assert report(SAMPLE_CITY, 2) == serial


def test_cli_jobs_option_same_output(tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"r{jobs}.json"
        code, _, err = run_cli("check", str(SAMPLE_CITY), "--as-of", AS_OF.isoformat(),
                               "-f", "json", "-o", str(target), "--jobs", jobs)
        assert code in (0, 1, 2), err
        outs.append(target.read_bytes())
    assert outs[0] == outs[1]


def test_guided_chunks_keep_order_and_shrink_to_the_smallest() -> None:
    items = list(range(1000))
    parts = parallel.guided_chunks(items, 2, smallest=16, largest=200)
    assert sum(parts, []) == items
    sizes = [len(p) for p in parts]
    # the cap, then a quarter of what is left (two workers), down to the smallest
    assert sizes[:5] == [200, 200, 150, 113, 85]
    assert sizes == sorted(sizes, reverse=True) and min(sizes[:-1]) == 16
    assert parallel.guided_chunks(list(range(5)), 4, smallest=16) == [list(range(5))]
    assert parallel.guided_chunks([], 2) == []


@dataclass
class _Info:
    id: str


@dataclass
class _Rule:
    info: _Info
    plugin: str
    relative_cost: float = 1.0


@dataclass
class _Ran:
    info: _Info
    pid: int


def _fake_rules() -> list[_Rule]:
    return [_Rule(_Info("A1"), "a"), _Rule(_Info("B1"), "b", 5.0), _Rule(_Info("B2"), "b"),
            _Rule(_Info("C1"), "c")]


def _fork(run_serial: object) -> parallel.PendingPython:
    ws = SimpleNamespace(input_errors=[], notices=[])
    return parallel.fork_python(ws, _fake_rules(), 2, run_serial, serial_key=lambda r: r.plugin,
                                cost=lambda r: r.relative_cost)


def test_rule_groups_are_claimed_costliest_first_and_merged_in_serial_order() -> None:
    def run_serial(group: list[_Rule], engine: list, timings: dict, tick: object) -> list:
        time.sleep(0.05)
        return [_Ran(r.info, os.getpid()) for r in group]

    pending = _fork(run_serial)
    assert [g[0].plugin for g in pending.groups] == ["b", "a", "c"]  # costliest first
    ran = pending.collect([], {}, lambda: None)
    assert [r.info.id for r in ran] == ["A1", "B1", "B2", "C1"]  # each once, serial order


def test_groups_claimed_by_a_child_that_dies_are_run_here() -> None:
    parent = os.getpid()
    here: list[str] = []

    def run_serial(group: list[_Rule], engine: list, timings: dict, tick: object) -> list:
        if os.getpid() != parent:
            os._exit(3)  # the child dies on whatever group it claimed
        here.append(group[0].plugin)
        return [_Ran(r.info, os.getpid()) for r in group]

    ran = _fork(run_serial).collect([], {}, lambda: None)
    assert [r.info.id for r in ran] == ["A1", "B1", "B2", "C1"]
    assert sorted(here) == ["a", "b", "c"] and all(r.pid == parent for r in ran)


def _leading(ws: SimpleNamespace, calls: list[str]) -> parallel.Lead:
    """Lead work that records where it ran and adds an input error and a notice."""
    def lead() -> object:
        ws.input_errors.append("lead error")
        calls.append("start")

        def finish() -> tuple[int, str]:
            ws.notices.append("lead notice")
            calls.append("finish")
            return os.getpid(), "lead"

        return finish

    return lead


def _adding(ws: SimpleNamespace, runs: list[str]) -> object:
    def run_serial(group: list[_Rule], engine: list, timings: dict, tick: object) -> list:
        runs.extend(r.plugin for r in group)
        ws.input_errors.append(f"error {group[0].plugin}")
        return [_Ran(r.info, os.getpid()) for r in group]

    return run_serial


def test_the_lead_runs_in_the_first_child_and_its_input_errors_come_first() -> None:
    ws = SimpleNamespace(input_errors=[], notices=[])
    calls: list[str] = []
    pending = parallel.fork_python(ws, _fake_rules(), 2, _adding(ws, []),
                                   serial_key=lambda r: r.plugin,
                                   cost=lambda r: r.relative_cost, lead=_leading(ws, calls))
    assert pending.lead_in_child
    ran = pending.collect([], {}, lambda: None)
    pid, value = pending.lead_result
    assert value == "lead" and pid != os.getpid() and calls == []  # in the child
    assert [r.info.id for r in ran] == ["A1", "B1", "B2", "C1"]
    # the serial run's order: the lead's before every rule group's, groups in rule order
    assert ws.input_errors == ["lead error", "error a", "error b", "error c"]
    assert ws.notices == ["lead notice"]


def test_the_lead_of_a_child_that_dies_is_done_here() -> None:
    parent = os.getpid()
    ws = SimpleNamespace(input_errors=[], notices=[])
    calls: list[str] = []
    lead = _leading(ws, calls)

    def dying_lead() -> object:
        if os.getpid() != parent:
            os._exit(3)
        return lead()

    pending = parallel.fork_python(ws, _fake_rules(), 2, _adding(ws, []),
                                   serial_key=lambda r: r.plugin, lead=dying_lead)
    pending.collect([], {}, lambda: None)
    assert pending.lead_result == (parent, "lead") and calls == ["start", "finish"]
    assert ws.input_errors == ["lead error", "error a", "error b", "error c"]
    assert ws.notices == ["lead notice"]


@pytest.mark.parametrize("jobs, in_child", [(1, True), (2, False)])
def test_the_lead_here_starts_before_the_rules_and_finishes_after(jobs: int,
                                                                   in_child: bool) -> None:
    # nothing forked (jobs 1), or the lead kept here (a run that fills the result cache)
    ws = SimpleNamespace(input_errors=[], notices=[])
    calls: list[str] = []
    lead = _leading(ws, calls)

    def traced_lead() -> object:
        finish = lead()
        return lambda: (calls.append(f"rules {sorted(set(runs))}"), finish())[1]

    runs: list[str] = []
    pending = parallel.fork_python(ws, _fake_rules(), jobs, _adding(ws, runs),
                                   serial_key=lambda r: r.plugin, lead=traced_lead,
                                   lead_in_child=in_child)
    assert not pending.lead_in_child
    pending.collect([], {}, lambda: None)
    assert pending.lead_result == (os.getpid(), "lead")
    assert calls[0] == "start" and calls[-1] == "finish"
    if jobs == 1:  # every rule ran here, between the lead's start and finish
        assert calls == ["start", "rules ['a', 'b', 'c']", "finish"]


def test_findings_come_back_from_a_child_equal_and_still_shared() -> None:
    # pickled into the pipe as they are made, unpickled as they come
    from probis.engine.findings import ElementRef, Finding

    ref = ElementRef("PB.01", "process", "peta/a.yaml", 3, "PB", "dinas")
    side = {"process": "PB.01", "outputs": ["SK"]}
    texts = {"id": "dasar", "en": "basis"}
    sent = [Finding("OVL001", "overlap", "warning", ref, {"id": f"p{i}", "en": f"m{i}"},
                    texts, texts, {"process": side, "score": 0.9, "i": i}) for i in range(3)]
    sent[1].waiver = {"reason": "beda"}
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        with os.fdopen(write_fd, "wb") as out:
            parallel._send(out, sent)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as reader:
        import pickle

        got = pickle.Unpickler(reader).load()
    os.waitpid(pid, 0)
    assert got == sent and all(type(f) is Finding and type(f.ref) is ElementRef for f in got)
    assert got[0].ref is got[1].ref is got[2].ref  # one reference, as sent
    assert got[0].evidence["process"] is got[2].evidence["process"]
    assert got[0].basis is got[0].fix is got[1].basis


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="Linux pipes")
def test_a_forked_writer_has_a_pipe_wide_enough_for_its_frames() -> None:
    # a loader child's frames (about half a megabyte) then wait in the pipe, not in the child
    import fcntl

    pid, read_fd = parallel.fork_writer(lambda fd: None)
    try:
        wide = fcntl.fcntl(read_fd, fcntl.F_GETPIPE_SZ)
        with open("/proc/sys/fs/pipe-max-size") as limit:
            allowed = min(parallel.PIPE_BYTES, int(limit.read())) if os.geteuid() else (
                parallel.PIPE_BYTES)
        assert wide >= allowed
    finally:
        os.waitpid(pid, 0)
        parallel._live.discard(pid)
        os.close(read_fd)
