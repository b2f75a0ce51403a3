"""The README's test command passes in a fresh clone with no ../shared beside it.

Slow (a venv, an install that builds durable-rules, the whole suite): excluded from the default
run by pyproject's addopts, run by `.ci/run` with `pytest -m slow`. It clones the committed HEAD,
so commit before running it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from vendored import ROOT, find_shared

pytestmark = pytest.mark.slow

# set for the suite run inside the clone, so that run does not clone again
GUARD = "PROBIS_INSIDE_FRESH_CLONE_TEST"


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int) -> None:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
    assert proc.returncode == 0, f"`{' '.join(args)}` exited {proc.returncode}:\n{tail}"


def test_readme_test_command_passes_in_a_fresh_clone(tmp_path: Path) -> None:
    if os.environ.get(GUARD):
        pytest.skip("already inside the fresh clone's own test run")
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of probis")
    head = subprocess.run([git, "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    clone = tmp_path / "probis"
    subprocess.run([git, "clone", "-q", str(ROOT), str(clone)], check=True, timeout=300)
    subprocess.run([git, "-C", str(clone), "checkout", "-q", head], check=True)
    assert find_shared(clone / "tests") is None, f"a shared/ folder is above {clone}"
    assert not (clone / "tests" / ".." / ".." / "shared").exists()

    # a user's shell: no venv, no PYTHONPATH, no probis settings of this run
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"} and not k.startswith(
               ("PROBIS_", "PYTEST_"))}
    env[GUARD] = "1"
    # README: python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/python
    # -m pytest (this interpreter stands for python3: it is a supported version)
    _run([sys.executable, "-m", "venv", ".venv"], clone, env, 300)
    _run([".venv/bin/pip", "install", "-q", "-e", ".[dev]"], clone, env, 1800)
    _run([".venv/bin/python", "-m", "pytest"], clone, env, 1800)
