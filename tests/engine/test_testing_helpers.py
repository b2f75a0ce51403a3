"""probis.engine.testing: a plugin author runs a plugin that is not installed on a workspace
folder or an in-memory workspace and asserts its findings."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import textwrap
import types
from importlib import metadata
from pathlib import Path

import pytest
from format_examples import EXAMPLE_PATHS, format_examples
from probis.engine.testing import (
    assert_finding,
    assert_no_finding,
    audit_workspace,
    builtin_plugin_names,
    matching,
    plugin_registry,
)
from testkit import AS_OF, ROOT

SOP = ROOT / "examples" / "probis-plugin-sop"
SOP_FIXTURES = SOP / "tests" / "fixtures"

# a plugin as an author writes it: one Python rule that flags maps titled "TODO"
TODO_PLUGIN = '''
from probis.engine import hookimpl
from probis.engine.i18n import text
from probis.engine.rule import PythonRule, RuleInfo


class NoTodoTitle(PythonRule):
    info = RuleInfo(
        id="TODO001", rule_set="todo", severity="warning",
        title=text("Judul peta bukan TODO", "A map title is not TODO"),
        checks=text("Judul peta bukan TODO.", "A map title is not TODO."),
        basis=text("PermenPANRB 19/2018", "PermenPANRB 19/2018"),
        rationale=text("Judul sementara.", "A placeholder title."),
        fix=text("Beri judul.", "Give it a title."),
        applies_to="map", source="todo_plugin.py",
    )

    def check(self, ctx, out):
        for entry in ctx.workspace.maps:
            ref = ctx.workspace.ref_map(entry)
            out.applicable(ref)
            if BOOM:
                raise RuntimeError("the rule broke")
            if (entry.map.title or "").startswith("TODO"):
                out.finding(ref, text("Peta {code} berjudul TODO", "Map {code} is titled TODO"),
                            {"code": entry.map.code})


BOOM = False


@hookimpl
def probis_register_rules(register):
    register(NoTodoTitle())
'''


def _example_files(**replace: tuple[str, str]) -> dict[str, str]:
    """The format v1 examples as an in-memory workspace (relative path -> YAML text), without
    the profile and waivers that name built-in rules (only the plugin under test loads)."""
    files = {EXAMPLE_PATHS[kind]: body for kind, body in format_examples().items()
             if kind != "waivers"}
    manifest = files["probis.yaml"]
    files["probis.yaml"] = manifest[:manifest.index("waivers:")]
    for kind, (old, new) in replace.items():
        assert old in files[EXAMPLE_PATHS[kind]]
        files[EXAMPLE_PATHS[kind]] = files[EXAMPLE_PATHS[kind]].replace(old, new)
    return files


def _map_title() -> str:
    import yaml

    return yaml.safe_load(format_examples()["peta-proses"])["title"]


@pytest.fixture
def todo_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The author's plugin module, importable from their source folder, not installed."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "todo_plugin.py").write_text(textwrap.dedent(TODO_PLUGIN), encoding="utf-8")
    monkeypatch.syspath_prepend(str(src))
    monkeypatch.delitem(sys.modules, "todo_plugin", raising=False)
    return importlib.import_module("todo_plugin")


def test_in_memory_workspace_with_a_module_finds_and_passes(todo_plugin, tmp_path) -> None:
    assert "todo_plugin" not in {ep.name for ep in metadata.entry_points(group="probis")}
    title = _map_title()
    result = audit_workspace(_example_files(**{"peta-proses": (title, f"TODO {title}")}),
                             plugins=[todo_plugin], as_of=AS_OF, folder=tmp_path / "ws")
    finding = assert_finding(result, rule="TODO001", element="PB.04.02", severity="warning",
                             file=EXAMPLE_PATHS["peta-proses"], message="titled TODO", count=1)
    assert finding.message["id"] == "Peta PB.04.02 berjudul TODO"
    # only the plugin loaded: no built-in rule set's findings in the way
    assert sorted(result.registry.rules) == ["TODO001"]
    assert [p.name for p in result.registry.plugins] == ["todo_plugin"]
    assert (tmp_path / "ws" / "probis.yaml").is_file()

    clean = audit_workspace(_example_files(), plugins=["todo_plugin"], as_of="2026-11-28")
    assert_no_finding(clean, rule="TODO001")
    with pytest.raises(AssertionError, match="expected a finding with rule='TODO001'"):
        assert_finding(clean, rule="TODO001")


def test_failures_name_what_the_audit_found(todo_plugin) -> None:
    title = _map_title()
    result = audit_workspace(_example_files(**{"peta-proses": (title, f"TODO {title}")}),
                             plugins={"todo": todo_plugin}, as_of=AS_OF)
    assert [p.name for p in result.registry.plugins] == ["todo"]
    with pytest.raises(AssertionError) as err:
        assert_finding(result, rule="TODO001", element="PB.99")
    assert "element='PB.99'" in str(err.value) and "TODO001 warning PB.04.02" in str(err.value)
    with pytest.raises(AssertionError, match="expected no finding with rule='TODO001'"):
        assert_no_finding(result, rule="TODO001")
    with pytest.raises(AssertionError, match="expected 2 findings"):
        assert_finding(result, rule="TODO001", count=2)
    with pytest.raises(AssertionError, match="REG001 is not registered"):
        assert_no_finding(result, rule="REG001")


def test_a_crashed_rule_is_not_a_pass(todo_plugin) -> None:
    todo_plugin.BOOM = True
    result = audit_workspace(_example_files(), plugins=[todo_plugin], as_of=AS_OF)
    assert result.findings == [] and result.engine_findings
    with pytest.raises(AssertionError, match="did not run cleanly"):
        assert_no_finding(result, rule="TODO001")


def test_a_rule_that_applied_to_nothing_is_not_a_pass(todo_plugin) -> None:
    files = {k: v for k, v in _example_files().items() if "peta/" not in k}
    files["peta/README.md"] = "no maps yet\n"
    result = audit_workspace(files, plugins=[todo_plugin], as_of=AS_OF)
    with pytest.raises(AssertionError, match="applied to nothing"):
        assert_no_finding(result, rule="TODO001")
    assert_no_finding(result, rule="TODO001", applicable=False)


def test_a_module_built_in_the_test_loads() -> None:
    module = types.ModuleType("probis_test_made_plugin")
    exec(textwrap.dedent(TODO_PLUGIN), module.__dict__)
    try:
        registry = plugin_registry([module])
        assert sorted(registry.rules) == ["TODO001"]
        assert registry.plugin_of("TODO001") == "probis_test_made_plugin"
    finally:
        sys.modules.pop("probis_test_made_plugin", None)


def test_builtins_load_on_request_and_nothing_leaks(todo_plugin) -> None:
    path, env = list(sys.path), os.environ.get("PROBIS_LOAD_PLUGINS")
    both = plugin_registry([todo_plugin], builtins=["regulation"])
    assert {p.name for p in both.plugins} == {"todo_plugin", "regulation"}
    assert "REG001" in both.rules and "TODO001" in both.rules
    everything = plugin_registry([todo_plugin], builtins=True)
    assert {p.name for p in everything.plugins} == {"todo_plugin", *builtin_plugin_names()}
    assert set(builtin_plugin_names()) >= {"regulation", "alignment", "overlap"}
    assert sys.path == path and os.environ.get("PROBIS_LOAD_PLUGINS") == env
    with pytest.raises(ValueError, match="also built-in"):
        plugin_registry({"regulation": todo_plugin}, builtins=True)


def test_a_plugin_that_does_not_load_is_an_assertion_error(tmp_path, monkeypatch) -> None:
    (tmp_path / "broken_plugin.py").write_text("raise ImportError('no such thing')\n",
                                               encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(AssertionError, match="broken_plugin: load: .*no such thing"):
        plugin_registry(["broken_plugin"])
    with pytest.raises(AssertionError, match="not_a_module_anywhere"):
        plugin_registry(["not_a_module_anywhere"])
    lenient = plugin_registry(["broken_plugin"], strict=False)
    assert [f.plugin for f in lenient.failures] == ["broken_plugin"]


def test_the_sop_example_runs_from_its_source_folder(tmp_path, monkeypatch) -> None:
    """A real plugin package (examples/probis-plugin-sop) with rule files, a document kind and
    facts, straight from its source tree: its rule files and hooks run as when installed."""
    monkeypatch.syspath_prepend(str(SOP))
    workspace = tmp_path / "workspace"
    shutil.copytree(SOP_FIXTURES / "workspace", workspace)
    for sop in [*SOP_FIXTURES.glob("valid/*.yaml"),
                SOP_FIXTURES / "invalid" / "CTH003-step-without-executor.yaml"]:
        shutil.copy(sop, workspace / "sop")
    result = audit_workspace(workspace, plugins={"contoh-sop": "probis_plugin_sop"}, as_of=AS_OF)
    assert result.registry.plugin_of("CTH003") == "contoh-sop"
    assert_finding(result, rule="CTH003", file="sop/CTH003-step-without-executor.yaml")
    assert {f.rule for f in matching(result)} == {"CTH003"}
