"""Fixtures for tests that install real plugin packages. Import them into a test module
(``from plugin_env import sop_site, plugin_cache``); a second conftest.py would shadow the root
one for ``from conftest import ...``.

The root conftest's helpers are re-exported from here (``run_cli``, ``SAMPLE_CITY``): other
test folders have a conftest.py of their own, and whichever was imported last answers to the
name ``conftest``, so these tests load the root one by its path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from pip_install import pip_install

ROOT = Path(__file__).resolve().parents[2]


def _root_conftest():
    name = "probis_root_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


run_cli = _root_conftest().run_cli
SAMPLE_CITY = _root_conftest().SAMPLE_CITY
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
