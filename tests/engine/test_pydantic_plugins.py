"""pydantic's plugins found without importlib.metadata (engine/pydanticplugins.py): the same
plugins pydantic's own loader finds, called on validation as pydantic calls them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from probis.engine import pydanticplugins

PLUGIN_MODULE = '''
CALLS = []

class Recorder:
    def __init__(self, label):
        self.label = label

    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind,
                             config, plugin_settings):
        CALLS.append((self.label, schema_type_path.name))
        return None, None, None

first = Recorder("first")
second = Recorder("second")
'''


def _distribution(root: Path, entry_points: str) -> Path:
    """A folder to put on sys.path holding a module and a distribution that declares its
    pydantic plugins."""
    (root / "probis_test_pydantic_plugin.py").write_text(PLUGIN_MODULE, "utf-8")
    info = root / "probis_test_pydantic_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: probis-test-pydantic-plugin\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text(entry_points, "utf-8")
    return root


def _plugins_seen(root: Path, with_probis: bool, disabled: str | None = None) -> dict:
    """In a fresh interpreter: the plugins pydantic uses and the validators they saw, with
    probis's lookup installed (``with_probis``) or pydantic's own."""
    code = textwrap.dedent(f"""
        import json, sys, warnings
        sys.path.insert(0, {str(root)!r})
        if {with_probis!r}:
            import probis.engine.model  # installs the lookup
        from pydantic import BaseModel
        import pydantic.plugin._loader as loader

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")

            class Thing(BaseModel):  # its validator is built here, and the plugins found
                name: str

            Thing.model_validate({{"name": "x"}})
            names = sorted(type(p).__name__ + ":" + getattr(p, "label", "?")
                           for p in loader.get_plugins())
        import probis_test_pydantic_plugin as plugin_module
        print(json.dumps({{"plugins": names, "calls": sorted(plugin_module.CALLS),
                           "warnings": [str(w.message).splitlines()[0] for w in caught],
                           "metadata_imported": "importlib.metadata" in sys.modules}}))
    """)
    env = {k: v for k, v in __import__("os").environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if disabled is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = disabled
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


ENTRY_POINTS = ("[pydantic]\nfirst = probis_test_pydantic_plugin:first\n"
                "second = probis_test_pydantic_plugin:second\n"
                "again = probis_test_pydantic_plugin:first\n"
                "missing = probis_test_no_such_module:plugin\n")


@pytest.mark.parametrize("disabled", [None, "second", "second,missing", "__all__", "1"])
def test_same_plugins_as_pydantics_own_loader(tmp_path: Path, disabled: str | None) -> None:
    root = _distribution(tmp_path, ENTRY_POINTS)
    ours = _plugins_seen(root, with_probis=True, disabled=disabled)
    theirs = _plugins_seen(root, with_probis=False, disabled=disabled)
    assert ours["plugins"] == theirs["plugins"]
    assert ours["calls"] == theirs["calls"]
    assert ours["warnings"] == theirs["warnings"]
    if disabled is None:  # the plugins really ran, and the broken one was said
        assert ours["plugins"] == ["Recorder:first", "Recorder:second"]
        assert ("first", "Thing") in [tuple(c) for c in ours["calls"]]
        assert any("probis_test_no_such_module" in w or "missing" in w
                   for w in ours["warnings"])
    assert not ours["metadata_imported"]  # what the lookup is for
    assert theirs["metadata_imported"]


def test_pydantics_own_loader_is_kept_once_imported(monkeypatch) -> None:
    sentinel = object()
    monkeypatch.setitem(sys.modules, pydanticplugins.LOADER, sentinel)
    assert pydanticplugins.install() is False
    assert sys.modules[pydanticplugins.LOADER] is sentinel


def test_other_names_come_from_pydantics_own_loader() -> None:
    code = textwrap.dedent("""
        import sys
        import probis.engine.model  # installs the lookup
        from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP, _loading_plugins
        from pydantic.plugin import _loader
        print(PYDANTIC_ENTRY_POINT_GROUP, _loading_plugins, _loader.get_plugins.__module__)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.split() == ["pydantic", "False", "probis.engine.pydanticplugins"]
