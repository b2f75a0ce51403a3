"""Fixtures for the plugin's tests. The plugin must be installed (`pip install -e .`): probis
finds it through its entry point, exactly as it will in production."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from probis.engine.plugins import build_registry
from probis.engine.runner import AuditResult, audit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = dt.date(2026, 11, 28)


# [snippet:conftest]
@pytest.fixture
def run_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AuditResult]:
    """Audit the fixture workspace plus the valid SOPs plus ``extra`` files, with this plugin
    alone (PROBIS_LOAD_PLUGINS), so no other plugin's findings get in the way."""
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "contoh-sop")
    registry = build_registry()
    assert any(p.name == "contoh-sop" for p in registry.plugins), (
        "plugin `contoh-sop` is not installed: run `pip install -e .` in "
        "examples/probis-plugin-sop")

    def run(*extra: Path) -> AuditResult:
        workspace = tmp_path / "workspace"
        shutil.copytree(FIXTURES / "workspace", workspace)
        for path in sorted((FIXTURES / "valid").glob("*.yaml")) + list(extra):
            shutil.copy(path, workspace / "sop" / path.name)
        return audit(workspace, as_of=AS_OF, registry=registry)

    return run
# [/snippet]
