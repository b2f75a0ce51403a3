"""A run killed while writing its report leaves the old report or none, never a truncated one.

A renderer plugin (a real entry point) renders a large report and touches a marker file just
before returning it; the test then waits until the report is partly written and SIGKILLs the
``probis`` process in the middle of writing it over an existing one. Afterwards the target
must hold exactly the old report or exactly the new one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from plugin_factory import make_plugin
from probis.engine.atomic import write_atomic

SIZE = 48 * 1024 * 1024

BIG_RENDERER = f'''
import os
from probis.engine import hookimpl

def render(report, lang="id", section_renderer=None):
    body = "x" * {SIZE} + "\\nEND\\n"
    open(os.environ["PROBIS_TEST_MARKER"], "w").close()  # the write starts now
    return body

@hookimpl
def probis_register_renderers(register):
    register("big", render)
'''


def _kill_during_write(ws: Path, target: Path, marker: Path, site: Path) -> None:
    path = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=path, PROBIS_LOAD_PLUGINS="big",
               PROBIS_TEST_MARKER=str(marker))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from probis.engine.cli import main; main()", "check", str(ws),
         "-f", "big", "-o", str(target), "--as-of", "2026-11-28"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, "probis ended before rendering"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    # wait for the temporary file to hold some but not all of the report, then kill
    while proc.poll() is None and time.monotonic() < deadline:
        if 0 < _partial_size(target) < SIZE:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _partial_size(target: Path) -> int:
    for p in target.parent.iterdir():
        if p.name.startswith(f".{target.name}."):
            try:
                return p.stat().st_size
            except FileNotFoundError:  # just renamed over the target
                return 0
    return 0


def test_killed_run_leaves_old_report(example_workspace: Path, tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-big", "big", "probis_big", BIG_RENDERER)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.txt"
    old = "the previous report\n"
    interrupted = 0
    for attempt in range(2):
        target.write_text(old, encoding="utf-8")
        marker = tmp_path / f"marker{attempt}"
        _kill_during_write(example_workspace, target, marker, site)
        content = target.read_bytes()
        complete_new = len(content) == SIZE + 5 and content.endswith(b"END\n")
        assert content == old.encode() or complete_new
        strays = [p for p in out.iterdir() if p.name.startswith(".report.txt.")]
        interrupted += bool(strays)  # a partial temporary file: the kill did land mid-write
        for stray in strays:
            stray.unlink()
    assert interrupted, "the kill never landed during the write; the test proved nothing"


def test_write_atomic_replaces_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    write_atomic(target, "old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
