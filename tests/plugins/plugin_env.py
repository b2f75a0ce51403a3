"""Fixtures for tests that install real plugin packages. Import them into a test module
(``from plugin_env import sop_site, plugin_cache``); a second conftest.py would shadow the root
one for ``from conftest import ...``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pip_install import pip_install

ROOT = Path(__file__).resolve().parents[2]
SOP_PLUGIN = ROOT / "examples" / "probis-plugin-sop"


@pytest.fixture(scope="session")
def plugin_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where installs are cached between runs (.pytest_cache), else a session folder."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("probis-plugin-installs"))
    return tmp_path_factory.mktemp("plugin-installs")


@pytest.fixture(scope="session")
def sop_site(plugin_cache: Path) -> Path:
    """A folder on which probis-plugin-sop is pip-installed (put it on PYTHONPATH)."""
    return pip_install(SOP_PLUGIN, plugin_cache)
