from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLE_CITY = ROOT / "sample_maps" / "kota-metro"
AS_OF = dt.date(2026, 11, 28)


@pytest.fixture
def example_workspace(tmp_path: Path) -> Path:
    from format_examples import write_example_workspace

    return write_example_workspace(tmp_path / "kota-contoh")


@pytest.fixture
def only_plugins(monkeypatch: pytest.MonkeyPatch):
    """Restrict the plugins that load, e.g. ``only_plugins("regulation")``."""

    def restrict(*names: str) -> None:
        monkeypatch.setenv("PROBIS_LOAD_PLUGINS", ",".join(names))

    return restrict


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
