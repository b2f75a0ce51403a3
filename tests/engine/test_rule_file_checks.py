"""Rule files cannot silently do nothing: they are checked at load against the declared fact
kinds (core kinds in engine/facts.py, plugins' through probis_register_fact_kinds). A misspelt
kind, field or placeholder refuses that one rule with ENG001 naming the file, the rule and the
closest known name; the plugin's other rules still run. Plugin facts must match their
declaration, and a failed facts hook lists the rule files that could not run.

The plugins are real distributions found through entry points (plugin_factory).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from plugin_factory import make_plugin
from probis.engine.factkinds import _fits
from probis.engine.facts import build_core_facts
from probis.engine.loader import load_workspace
from probis.engine.plugins import build_registry
from probis.engine.runner import audit
from testkit import AS_OF, SAMPLE_CITY, run_cli

RULE = """\
id: {rid}
rule_set: typo
severity: warning
applies_to: {applies_to}
title: {{id: Aturan {rid}, en: Rule {rid}}}
checks: {{id: Periksa, en: Checks}}
basis: {{id: Dasar, en: Basis}}
rationale: {{id: Alasan, en: Rationale}}
fix: {{id: Perbaiki, en: Fix}}
cases:
  - when: {when}
    message: {{id: "Proses {{{placeholder}}} {rid}", en: "Process {{{placeholder}}} {rid}"}}
"""


def rule_file(rid: str, when: str = "{supports_count: 0}", applies_to: str = "process",
              placeholder: str = "code") -> str:
    return RULE.format(rid=rid, when=when, applies_to=applies_to, placeholder=placeholder)


# a plugin whose rule files are in the folder `<module>_rules` beside its module
PLUGIN = '''
from pathlib import Path
from probis.engine import hookimpl
from probis.engine.rulefile import load_rule_paths

FOLDER = Path(__file__).parent / "{module}_rules"

@hookimpl
def probis_register_rules(register):
    for rule in load_rule_paths(sorted(FOLDER.iterdir()), prefix="{module}/rules/"):
        register(rule)
'''


def make_rule_plugin(site: Path, module: str, rules: dict[str, str], extra: str = "") -> None:
    make_plugin(site, f"probis-{module}", module, module, PLUGIN.format(module=module) + extra)
    folder = site / f"{module}_rules"
    folder.mkdir()
    for name, text in rules.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of plugin distributions, on sys.path for build_registry in this process."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


def env(site: Path, plugins: str) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
            "PROBIS_LOAD_PLUGINS": plugins}


def test_a_misspelt_field_refuses_that_rule_naming_file_field_and_suggestion(
        site: Path, only_plugins) -> None:
    make_rule_plugin(site, "typo_field", {
        "TYP001.yaml": rule_file("TYP001", when="{supports_cnt: 0}"),
        "TYP002.yaml": rule_file("TYP002"),
    })
    only_plugins("typo_field")
    registry = build_registry()
    assert "TYP001" not in registry.rules and "TYP002" in registry.rules
    assert registry.plugins[0].rule_ids == ["TYP002"]
    (failure,) = registry.failures
    assert (failure.plugin, failure.rule, failure.source) == (
        "typo_field", "TYP001", "typo_field/rules/TYP001.yaml")
    assert "unknown field `supports_cnt`" in failure.error
    assert "did you mean `supports_count`?" in failure.error
    assert failure.error.startswith("typo_field/rules/TYP001.yaml: cases[0].when:")


def test_a_misspelt_applies_to_kind_refuses_that_rule(site: Path, only_plugins) -> None:
    make_rule_plugin(site, "typo_kind", {
        "TYP003.yaml": rule_file("TYP003", applies_to="proces"),
        "TYP004.yaml": rule_file("TYP004", applies_to="lane, stepp",
                                 when="{has_unit: false}", placeholder="lane_id"),
        "TYP005.yaml": rule_file("TYP005"),
    })
    only_plugins("typo_kind")
    registry = build_registry()
    assert sorted(registry.rules) == ["TYP005"]
    errors = {f.rule: f.error for f in registry.failures}
    assert "unknown fact kind `proces` (did you mean `process`?)" in errors["TYP003"]
    assert "unknown fact kind `stepp` (did you mean `step`?)" in errors["TYP004"]
    assert "known kinds: indicator, lane, lf-map, map, process, step, unit" in errors["TYP003"]


@pytest.mark.parametrize(("name", "when", "placeholder", "expected"), [
    ("bool", "{has_lf_map: 'true'}", "code", "`has_lf_map` is boolean"),
    ("gt", "{$gt: {category: 1}}", "code", "$gt compares numbers, but `category` is text"),
    ("null", "{category: null}", "code", "`category: null` never matches"),
    ("kind", "{$and: [{t: lane}, {supports_count: 0}]}", "code", "`t: lane` never matches"),
    ("nested", "{$or: [{supports_count: 0}, {$nex: {categori: 1}}]}", "code",
     "unknown field `categori` of fact kind process (did you mean `category`?)"),
    ("message", "{supports_count: 0}", "nmae", "cases[0].message.id: unknown field `{nmae}`"),
])
def test_conditions_and_messages_that_can_never_work_are_refused(
        site: Path, only_plugins, name: str, when: str, placeholder: str,
        expected: str) -> None:
    module = f"never_{name}"
    make_rule_plugin(site, module, {"TYP006.yaml": rule_file("TYP006", when, "process",
                                                             placeholder)})
    only_plugins(module)
    registry = build_registry()
    assert "TYP006" not in registry.rules
    (failure,) = registry.failures
    assert expected in failure.error, failure.error


def test_an_unreadable_rule_file_costs_only_its_own_rule(site: Path, only_plugins) -> None:
    broken = rule_file("TYP007").replace("severity: warning\n", "")
    make_rule_plugin(site, "typo_broken", {
        "TYP007.yaml": broken,
        "TYP008.yaml": "id: [unclosed\n",
        "TYP009.yaml": rule_file("TYP009"),
    })
    only_plugins("typo_broken")
    registry = build_registry()
    assert sorted(registry.rules) == ["TYP009"]
    errors = {f.rule: f.error for f in registry.failures}
    assert errors["TYP007"] == "typo_broken/rules/TYP007.yaml: missing `severity`"
    assert errors["TYP008"].startswith("typo_broken/rules/TYP008.yaml: line ")


def test_the_plugins_other_rules_run_and_the_refused_rule_is_eng001(
        site: Path, only_plugins, example_workspace: Path) -> None:
    make_rule_plugin(site, "typo_audit", {
        "TYP010.yaml": rule_file("TYP010", when="{supports_cnt: 0}"),
        "TYP011.yaml": rule_file("TYP011", when="{$gte: {owner_count: 0}}"),
    })
    only_plugins("typo_audit")
    result = audit(example_workspace, AS_OF)
    assert {f.rule for f in result.findings} == {"TYP011"}
    assert len(result.findings) == len(result.workspace.processes) > 0
    (eng,) = result.engine_findings
    assert eng.rule == "ENG001" and eng.ref.element == "typo_audit:TYP010"
    assert eng.evidence["rule"] == "TYP010"
    assert eng.evidence["file"] == "typo_audit/rules/TYP010.yaml"
    assert "rule TYP010 of plugin `typo_audit` was not loaded" in eng.message["en"]
    assert "typo_audit/rules/TYP010.yaml" in eng.message["en"]
    assert "did you mean `supports_count`?" in eng.message["en"]
    # one language at a time: the Indonesian message said the problem in English
    indonesian = eng.message["id"]
    assert "kolom `supports_cnt` tidak dikenal pada jenis fakta process" in indonesian
    assert "(maksudnya `supports_count`?)" in indonesian
    assert not {"unknown", "field", "did", "mean"} & set(indonesian.replace("`", " ").split())


def test_an_unreadable_rule_files_problem_is_said_in_indonesian_too(
        site: Path, only_plugins) -> None:
    make_rule_plugin(site, "typo_said", {"TYP015.yaml": "id: TYP015\nseverity: [unclosed\n",
                                         "TYP016.yaml": rule_file("TYP016").replace(
                                             "severity: warning\n", "")})
    only_plugins("typo_said")
    failures = {f.rule: f for f in build_registry().failures}
    assert failures["TYP015"].error_in("id").startswith(
        "typo_said/rules/TYP015.yaml: baris 3: YAML tidak sah")
    assert failures["TYP015"].error_in("en").startswith("typo_said/rules/TYP015.yaml: line 3: ")
    assert failures["TYP016"].error_in("id") == \
        "typo_said/rules/TYP016.yaml: `severity` tidak ada"


# --- plugin facts: declared, checked, and a failure names the rules it stopped ----------------

FACTS_PLUGIN = '''
from probis.engine.findings import ElementRef

@hookimpl
def probis_register_fact_kinds(register):
    register("loket", {{"loket_id": ("text", "loket id"), "open_days": ("integer", "days open")}})

@hookimpl
def probis_facts(workspace, as_of):
    {body}
'''

LOKET_RULE = rule_file("LKT001", when="{$lt: {open_days: 5}}", applies_to="loket",
                       placeholder="loket_id")


def test_declared_plugin_facts_are_matched_by_its_rule_files(
        site: Path, only_plugins, example_workspace: Path) -> None:
    make_rule_plugin(site, "loket_ok", {"LKT001.yaml": LOKET_RULE}, FACTS_PLUGIN.format(
        body='return [({"t": "loket", "loket_id": "L1", "open_days": 3}, '
             'ElementRef("L1", "loket"))]'))
    only_plugins("loket_ok")
    result = audit(example_workspace, AS_OF)
    assert result.engine_findings == []
    (finding,) = result.findings
    assert (finding.rule, finding.ref.element, finding.message["en"]) == (
        "LKT001", "L1", "Process L1 LKT001")
    assert result.registry.fact_kinds["loket"].plugin == "loket_ok"


@pytest.mark.parametrize(("name", "body", "error"), [
    ("raises", 'raise RuntimeError("loket register unreadable")', "loket register unreadable"),
    ("undeclared_field", 'return [({"t": "loket", "loket_id": "L1", "open_dayz": 3}, '
                         'ElementRef("L1", "loket"))]',
     "field `open_dayz` is not declared (did you mean `open_days`?)"),
    ("wrong_type", 'return [({"t": "loket", "loket_id": "L1", "open_days": "3"}, '
                   'ElementRef("L1", "loket"))]', "`open_days` is declared integer"),
    ("undeclared_kind", 'return [({"t": "process", "code": "X"}, ElementRef("X", "process"))]',
     "fact kind `process` is not declared by plugin"),
])
def test_a_failed_facts_hook_lists_the_rules_that_could_not_run(
        site: Path, only_plugins, example_workspace: Path, name: str, body: str,
        error: str) -> None:
    module = f"loket_{name}"
    make_rule_plugin(site, module, {"LKT001.yaml": LOKET_RULE}, FACTS_PLUGIN.format(body=body))
    only_plugins(module, "regulation")
    result = audit(example_workspace, AS_OF)
    (eng,) = result.engine_findings
    assert eng.ref.element == f"{module}:probis_facts"
    assert error in eng.evidence["error"], eng.evidence["error"]
    assert eng.evidence["not_run"] == ["LKT001"]
    assert "Rules not run: LKT001." in eng.message["en"]
    assert "LKT001" not in {f.rule for f in result.findings}
    # the core rule files (no plugin facts needed) still ran
    assert any(key[0] == "REG001" for key in result.applicable)


def test_a_plugin_cannot_declare_a_core_kind(site: Path, only_plugins) -> None:
    make_plugin(site, "probis-steals", "steals", "steals", '''
from probis.engine import hookimpl

@hookimpl
def probis_register_fact_kinds(register):
    register("process", {"code": ("text", "mine now")})
''')
    only_plugins("steals")
    registry = build_registry()
    (failure,) = registry.failures
    assert failure.stage == "probis_register_fact_kinds"
    assert "fact kind process is already declared by the core facts" in failure.error
    assert registry.fact_kinds["process"].plugin is None


def test_core_facts_have_exactly_the_declared_fields_and_types(only_plugins) -> None:
    only_plugins("")
    registry = build_registry()
    ws = load_workspace(SAMPLE_CITY)
    seen: dict[str, set[str]] = {}
    for fact, _ in build_core_facts(ws, AS_OF):
        declared = registry.fact_kinds[fact["t"]].fields
        for name, value in fact.items():
            if name == "t":
                continue
            assert name in declared, (fact["t"], name)
            assert _fits(value, declared[name].type), (fact["t"], name, value)
            seen.setdefault(fact["t"], set()).add(name)
    assert set(seen) == set(registry.fact_kinds)


# --- the command line ---------------------------------------------------------------------------


def test_rules_with_an_unknown_rule_set_exits_2_listing_the_known_ones() -> None:
    code, out, err = run_cli("rules", "--rule-set", "regulasx", env={
        "PROBIS_LOAD_PLUGINS": "regulation,alignment", "PROBIS_LANG": "en"})
    assert code == 2, out + err
    assert "unknown rule set" in err and "Perhaps: regulation" in err
    assert "Known: alignment, engine, regulation." in err
    assert out == ""


def test_explain_of_a_rule_of_a_failed_plugin_exits_2_naming_plugin_and_failure(
        site: Path) -> None:
    make_plugin(site, "probis-crashes", "crashes", "crashes",
                'raise ImportError("needs the module sastra, not installed")\n')
    make_rule_plugin(site, "typo_explain", {
        "TYP012.yaml": rule_file("TYP012", when="{supports_cnt: 0}")})
    code, out, err = run_cli("explain", "TYP012", env={**env(site, "typo_explain,crashes"),
                                                       "PROBIS_LANG": "en"})
    assert code == 2, out + err
    assert "of plugin `typo_explain` was not loaded" in err
    assert "typo_explain/rules/TYP012.yaml" in err and "did you mean `supports_count`?" in err
    code, out, err = run_cli("explain", "CRS001", env={**env(site, "typo_explain,crashes"),
                                                       "PROBIS_LANG": "en"})
    assert code == 2, out + err
    assert "unknown rule" in err and "Plugins that failed to load" in err
    assert "crashes (load: ImportError: needs the module sastra, not installed)" in err


def test_check_reports_the_refused_rule_file(site: Path, example_workspace: Path) -> None:
    make_rule_plugin(site, "typo_cli", {
        "TYP013.yaml": rule_file("TYP013", applies_to="proces"),
        "TYP014.yaml": rule_file("TYP014", when="{$gte: {owner_count: 0}}")})
    code, out, err = run_cli("check", str(example_workspace), "-f", "json",
                             "--as-of", "2026-11-28", env=env(site, "typo_cli"))
    assert code == 1, err
    report = json.loads(out)
    (eng,) = report["engine_findings"]
    assert eng["element"] == "typo_cli:TYP013"
    assert "did you mean `process`?" in eng["message"]["en"]
    assert {f["rule"] for f in report["findings"]} == {"TYP014"}
