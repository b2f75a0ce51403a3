from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from testkit import AS_OF, ROOT, SAMPLE_CITY, run_cli  # noqa: E402,F401 - re-exported


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots", action="store_true", default=False,
        help="rewrite tests/rules/<ID>/expected.json from the findings the rules report now")


@pytest.fixture(autouse=True)
def _start_like_a_new_command() -> None:
    """What `probis.engine.cli.main` resets for each command, reset for each test: an
    in-process `--lang en` leaves its language behind (engine/i18n.py), and a test that calls
    the click group directly (CliRunner) would reuse the plugin registry an earlier test built
    under its own PROBIS_LOAD_PLUGINS. And the heap an earlier test's collector pauses froze
    is handed back (engine/gcpause.py), as a new process would start with none frozen."""
    from probis.engine import cli
    from probis.engine.gcpause import thaw
    from probis.engine.i18n import reset_lang

    reset_lang()
    cli._registry_built.clear()
    thaw()
