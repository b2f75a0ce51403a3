"""Every built-in rule against its named fixtures (tests/rules/<ID>/, see tests/rule_fixtures.py).

An ``invalid-*`` case must produce the rule's finding, a ``valid-*`` case must not while the
rule still applies there, and each case's findings of the rule (rule, element, severity, file,
line, English message) must equal its entry in the rule's expected.json. After an intended
change of findings, regenerate the snapshots with ``pytest tests/rules --update-snapshots``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from probis.engine.plugins import Registry, build_registry
from probis.engine.report import build_report
from probis.engine.runner import audit
from rule_fixtures import (
    BASE,
    RULES_DIR,
    all_cases,
    build_workspace,
    fixture_cases,
    fixture_rule_ids,
    fixture_workspace,
    pinned,
    read_snapshot,
    set_base,
    snapshot_path,
    write_snapshot,
)
from testkit import AS_OF

CASES = all_cases()
UPDATE_HINT = "run `pytest tests/rules --update-snapshots` and review the diff"


def _registry_of(plugins: str) -> Registry:
    """A registry restricted to ``plugins`` (comma-separated; empty: every installed plugin)."""
    saved = os.environ.pop("PROBIS_LOAD_PLUGINS", None)
    if plugins:
        os.environ["PROBIS_LOAD_PLUGINS"] = plugins
    try:
        return build_registry()
    finally:
        os.environ.pop("PROBIS_LOAD_PLUGINS", None)
        if saved is not None:
            os.environ["PROBIS_LOAD_PLUGINS"] = saved


@pytest.fixture(scope="session")
def registries() -> dict[str, Registry]:
    """One registry per plugin, built once: a case loads only the plugin of its rule."""
    return {}


@pytest.fixture(scope="session")
def builtin_rules() -> dict[str, tuple[str, str]]:
    """Rule id -> (plugin, rule set) for every rule that probis's own plugins register."""
    registry = _registry_of("")
    builtin = {p.name for p in registry.plugins if p.module.startswith("probis.plugins.")}
    return {rid: (registry.plugin_of(rid), rule.info.rule_set)
            for rid, rule in registry.rules.items() if registry.plugin_of(rid) in builtin}


def _audit(path: Path, registry: Registry) -> dict[str, Any]:
    report = build_report(audit(path, as_of=AS_OF, registry=registry))
    assert report["input_errors"] == [], report["input_errors"]
    assert report["engine_findings"] == [], report["engine_findings"]
    return report


@pytest.mark.parametrize(("rule_id", "case"), CASES, ids=[f"{r}/{c}" for r, c in CASES])
def test_fixture_case(rule_id: str, case: str, tmp_path: Path, request: pytest.FixtureRequest,
                      builtin_rules: dict[str, tuple[str, str]],
                      registries: dict[str, Registry]) -> None:
    assert rule_id in builtin_rules, f"tests/rules/{rule_id}/ names no built-in rule"
    plugin, rule_set = builtin_rules[rule_id]
    if plugin not in registries:
        registries[plugin] = _registry_of(plugin)
    report = _audit(fixture_workspace(rule_id, case, tmp_path, rule_set), registries[plugin])
    own = [f for f in report["findings"] if f["rule"] == rule_id]
    found = [pinned(f) for f in own]

    if request.config.getoption("update_snapshots"):
        write_snapshot(rule_id, case, found)

    if case.startswith("invalid-"):
        assert own, f"{rule_id}/{case}: an invalid case must produce a {rule_id} finding"
        for f in own:
            message = f["message"]
            assert message["id"] and message["en"] and message["id"] != message["en"]
            assert "{" not in message["en"] and "{" not in message["id"], f  # placeholders filled
            assert f["file"] and f["line"], f
    else:
        assert own == [], f"{rule_id}/{case}: a valid case must produce no {rule_id} finding"
        # the rule did look at something: a valid case that the rule ignores proves nothing
        assert report["scores"]["by_rule"][rule_id]["applicable"] > 0, \
            f"{rule_id}/{case}: the rule applies to nothing in this case"

    snapshot = read_snapshot(rule_id)
    assert case in snapshot, f"{snapshot_path(rule_id)} has no entry for {case}: {UPDATE_HINT}"
    assert found == snapshot[case], f"{rule_id}/{case} differs from its snapshot: {UPDATE_HINT}"


def test_every_builtin_rule_has_a_valid_and_an_invalid_case(
        builtin_rules: dict[str, tuple[str, str]]) -> None:
    missing = {}
    for rule_id in sorted(builtin_rules):
        cases = fixture_cases(rule_id) if (RULES_DIR / rule_id).is_dir() else []
        kinds = {c.split("-", 1)[0] for c in cases}
        if kinds != {"valid", "invalid"}:
            missing[rule_id] = cases
    assert not missing, f"rules without a valid-* and an invalid-* case in tests/rules/: {missing}"
    assert set(fixture_rule_ids()) <= set(builtin_rules), "a fixture folder names no rule"
    # the regulation set (11 rule files, 8 Python rules) is all there, not only what loaded
    assert sum(1 for _, s in builtin_rules.values() if s == "regulation") == 19


@pytest.mark.parametrize("rule_id", fixture_rule_ids())
def test_snapshot_has_no_case_without_a_folder(rule_id: str) -> None:
    stale = set(read_snapshot(rule_id)) - set(fixture_cases(rule_id))
    assert not stale, f"{snapshot_path(rule_id)} pins cases that no longer exist {stale}: " \
        + UPDATE_HINT


@pytest.mark.parametrize("rule_set", ["regulation", "alignment", "overlap", "restructure"])
def test_shared_bases_have_no_defect(rule_set: str, tmp_path: Path,
                                     builtin_rules: dict[str, tuple[str, str]],
                                     registries: dict[str, Registry]) -> None:
    """_base (plus _base-<set>) passes every rule of the set, and every rule had something to
    check there: a case's finding is then the case's doing, not the base's."""
    ids = sorted(rid for rid, (_, s) in builtin_rules.items() if s == rule_set)
    plugin = builtin_rules[ids[0]][0]
    if plugin not in registries:
        registries[plugin] = _registry_of(plugin)
    extra = set_base(rule_set)
    path = build_workspace(tmp_path / "base", extra) if extra else BASE
    report = _audit(path, registries[plugin])
    assert [f for f in report["findings"] if f["rule"] in ids] == []
    cell = report["scores"]["by_rule_set"][rule_set]
    assert cell["score"] == 100.0 and cell["failed"] == 0
    if rule_set == "regulation":  # every REG/FLW rule had something to check in the base
        applicable = {rid: c["applicable"] for rid, c in report["scores"]["by_rule"].items()}
        assert all(applicable.get(rid, 0) > 0 for rid in ids), applicable
