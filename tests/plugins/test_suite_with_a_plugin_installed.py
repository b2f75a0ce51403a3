"""probis's own suite passes with a third-party plugin installed beside it (the example SOP
plugin: rules, rule files, facts and a document kind). Tests that count rules, plugins or rule
pages must restrict themselves to the built-ins. Slow (the whole suite): `pytest -m slow`."""

# fixtures are imported from plugin_env (see its docstring), which ruff reads as redefinitions
# ruff: noqa: F811

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pip_install import env_with
from plugin_env import ROOT, plugin_cache, sop_site  # noqa: F401

pytestmark = pytest.mark.slow

# set for the suite run inside, so that run does not start another
GUARD = "PROBIS_INSIDE_PLUGIN_INSTALLED_TEST"


def test_the_suite_passes_with_the_sop_plugin_installed(sop_site: Path) -> None:
    if os.environ.get(GUARD):
        pytest.skip("already inside the run with the plugin installed")
    env = {k: v for k, v in os.environ.items() if k != "PROBIS_LOAD_PLUGINS"}
    env.update(env_with(sop_site))
    env[GUARD] = "1"
    cli = [sys.executable, "-c", "from probis.engine.cli import main; main()"]
    check = subprocess.run([*cli, "plugins"], env=env, capture_output=True, text=True,
                           cwd=ROOT, timeout=300)
    assert "probis-plugin-sop" in check.stdout, check.stdout + check.stderr
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          env=env, capture_output=True, text=True, cwd=ROOT, timeout=1800)
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
    assert proc.returncode == 0, tail
