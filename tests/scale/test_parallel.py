"""--jobs N gives the report of --jobs 1, byte for byte; the synthetic generator is seeded."""

from __future__ import annotations

import importlib.util
import os
import sys
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


def test_jobs_identical_on_sample_city(small_thresholds: None) -> None:
    assert report(SAMPLE_CITY, 2) == report(SAMPLE_CITY, 1)


def test_cli_jobs_option_same_output(tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"r{jobs}.json"
        code, _, err = run_cli("check", str(SAMPLE_CITY), "--as-of", AS_OF.isoformat(),
                               "-f", "json", "-o", str(target), "--jobs", jobs)
        assert code in (0, 1, 2), err
        outs.append(target.read_bytes())
    assert outs[0] == outs[1]


def test_chunks_keep_order() -> None:
    items = list(range(11))
    parts = parallel.chunks(items, 3)
    assert [len(p) for p in parts] == [4, 4, 3]
    assert sum(parts, []) == items


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
