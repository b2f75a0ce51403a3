"""SIGTERM stops `probis check --jobs 2` and `probis check-many` with every process they started.

Each run is started in a session of its own: every process it starts (forked children,
spawned durable-rules workers, the resource tracker) keeps that session id, even once
orphaned, so scanning /proc for it finds anything left behind. A Python rule that sleeps
keeps the run busy, so SIGTERM is sent when the children exist, however loaded the machine.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from plugin_factory import make_plugin
from testkit import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

# claimed first by a --jobs child (largest cost first), and long enough to outlast the test
SLEEPER = """
import time
from probis.engine import hookimpl
from probis.engine.i18n import text
from probis.engine.rule import PythonRule, RuleInfo

class Sleeper(PythonRule):
    info = RuleInfo(id="SLP001", rule_set="sleep", severity="info",
                    title=text("Tidur", "Sleeps"), checks=text("x", "x"), basis=text("x", "x"),
                    rationale=text("x", "x"), fix=text("x", "x"))
    relative_cost = 1000.0

    def check(self, ctx, out):
        time.sleep(120)

@hookimpl
def probis_register_rules(register):
    register(Sleeper())
"""

WAIT_FOR_CHILDREN = 120.0  # a loaded 2-core machine may take long to start them
LEFT_AFTER = 5.0


def _synth() -> object:
    spec = importlib.util.spec_from_file_location(
        "synth_workspace", ROOT / "benchmarks" / "synth_workspace.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth_workspace", module)
    spec.loader.exec_module(module)
    return module


def _session(sid: int) -> dict[int, str]:
    """Live (not zombie) processes of session ``sid`` other than its leader: pid -> command."""
    found: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == sid:
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if fields[0] != "Z" and int(fields[3]) == sid:
            found[int(entry)] = cmdline.replace(b"\0", b" ").decode(errors="replace")
    return found


def _wait(condition: Callable[[], bool], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def sleeper_env(tmp_path: Path) -> dict[str, str]:
    site = make_plugin(tmp_path / "site", "probis-sleeper", "sleeper", "probis_sleeper", SLEEPER)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    env.pop("PROBIS_LOAD_PLUGINS", None)
    return env


@pytest.fixture
def start() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def run(*args: str, env: dict[str, str], stderr: Path) -> subprocess.Popen[str]:
        # stderr to a file: a process left behind would hold a pipe open
        with stderr.open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-c", "from probis.engine.cli import main; main()", *args],
                env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        started.append(proc)
        return proc

    yield run
    for proc in started:  # whatever happened, leave nothing running
        for pid in [proc.pid, *_session(proc.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _terminate(proc: subprocess.Popen[str], ready: Callable[[dict[int, str]], bool],
               stderr: Path) -> str:
    """Wait until the run's processes satisfy ``ready``, send SIGTERM, return stderr once the
    run ended; assert that nothing of the run is left ``LEFT_AFTER`` seconds later."""
    assert _wait(lambda: proc.poll() is not None or ready(_session(proc.pid)),
                 WAIT_FOR_CHILDREN), (f"children did not appear: {_session(proc.pid)}\n"
                                          f"{stderr.read_text()}")
    assert proc.poll() is None, "the run ended before SIGTERM: make it longer"
    before = _session(proc.pid)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    err = stderr.read_text()
    left = _session(proc.pid) if not _wait(lambda: not _session(proc.pid), LEFT_AFTER) else {}
    assert not left, f"left running {LEFT_AFTER} s after SIGTERM: {left} (before: {before})"
    assert proc.returncode == 143, err
    assert "dihentikan (SIGTERM)" in err and "Traceback" not in err, err  # default: id
    return err


def _spawned(procs: dict[int, str]) -> int:
    return sum("spawn_main" in cmd for cmd in procs.values())


def _trackers(procs: dict[int, str]) -> int:
    return sum("resource_tracker" in cmd for cmd in procs.values())


@pytest.mark.parametrize("worker", ["fork", "spawn"])
def test_sigterm_to_check_with_jobs_leaves_no_process(
        tmp_path: Path, sleeper_env: dict[str, str], start: Callable[..., subprocess.Popen[str]],
        worker: str) -> None:
    ws = tmp_path / "ws"
    _synth().generate(ws, 600, seed=3)  # type: ignore[attr-defined]
    proc = start("check", str(ws), "--jobs", "2", "-f", "json", "-o", str(tmp_path / "r.json"),
                 env={**sleeper_env, "PROBIS_DURABLE_WORKER": worker},
                 stderr=tmp_path / "err.txt")

    def ready(procs: dict[int, str]) -> bool:
        forked = sum("probis.engine.cli" in cmd for cmd in procs.values())
        if worker == "fork":  # a forked rule child and the forked durable-rules worker
            return forked >= 2
        # a forked rule child, the spawned durable-rules worker and the resource tracker
        return forked >= 1 and _spawned(procs) >= 1 and _trackers(procs) >= 1

    _terminate(proc, ready, tmp_path / "err.txt")
    assert not (tmp_path / "r.json").exists()  # no half report


@pytest.mark.parametrize("worker", ["fork", "spawn"])
def test_sigterm_to_check_many_leaves_no_process(
        tmp_path: Path, sleeper_env: dict[str, str], start: Callable[..., subprocess.Popen[str]],
        worker: str) -> None:
    synth = _synth()
    for i in (1, 2, 3):
        synth.generate(tmp_path / "prov" / f"kota-{i}", 150, seed=i)  # type: ignore[attr-defined]
    proc = start("check-many", str(tmp_path / "prov"), "--jobs", "2",
                 env={**sleeper_env, "PROBIS_DURABLE_WORKER": worker},
                 stderr=tmp_path / "err.txt")
    if worker == "fork":  # two pool workers and the durable-rules worker each one forks
        _terminate(proc, lambda procs: len(procs) >= 4, tmp_path / "err.txt")
        return
    # two pool workers, each with its durable-rules worker and that worker's resource tracker
    _terminate(proc, lambda procs: _spawned(procs) >= 2 and _trackers(procs) >= 2,
               tmp_path / "err.txt")
