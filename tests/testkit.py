"""Shared test helpers, importable by a unique name.

Several test folders have a conftest.py of their own, so ``from conftest import ...`` would
resolve to whichever conftest was imported first; import helpers from here instead.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CITY = ROOT / "sample_maps" / "kota-metro"
AS_OF = dt.date(2026, 11, 28)


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the real `probis` entry point in a subprocess (exit codes, stdout, stderr)."""
    import subprocess

    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", "from probis.engine.cli import main; main()", *args],
        capture_output=True, text=True, env=full_env, timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr
