"""Each REG/FLW rule against its fixtures: the invalid workspace yields exactly the findings in
expected.json for that rule; the valid one yields none while the rule still applies there."""

from __future__ import annotations

from pathlib import Path

import pytest
from probis.engine.report import build_report
from probis.engine.runner import audit
from rule_fixtures import BASE, expected_findings, fixture_rule_ids, fixture_workspace
from testkit import AS_OF

RULE_IDS = fixture_rule_ids()


@pytest.fixture(autouse=True)
def _regulation_only(only_plugins) -> None:
    only_plugins("regulation")


def _audit(path: Path) -> dict:
    report = build_report(audit(path, as_of=AS_OF))
    assert report["input_errors"] == [], report["input_errors"]
    assert report["engine_findings"] == [], report["engine_findings"]
    return report


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_invalid_fixture_yields_exactly_the_expected_findings(rule_id: str, tmp_path: Path) -> None:
    report = _audit(fixture_workspace(rule_id, "invalid", tmp_path))
    found = sorted((f["rule"], f["element"]) for f in report["findings"] if f["rule"] == rule_id)
    assert found == expected_findings(rule_id)
    for f in report["findings"]:
        if f["rule"] == rule_id:
            message = f["message"]
            assert message["id"] and message["en"] and message["id"] != message["en"]
            assert "{" not in f["message"]["en"], f["message"]  # every placeholder filled
            assert f["file"] and f["line"], f


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_valid_fixture_yields_no_finding_of_the_rule(rule_id: str, tmp_path: Path) -> None:
    report = _audit(fixture_workspace(rule_id, "valid", tmp_path))
    assert [f for f in report["findings"] if f["rule"] == rule_id] == []
    # the rule did look at something: a valid fixture that the rule ignores proves nothing
    assert report["scores"]["by_rule"][rule_id]["applicable"] > 0


def test_every_regulation_rule_has_fixtures() -> None:
    from probis.engine.plugins import build_registry

    rules = build_registry().rules
    ids = sorted(rid for rid, r in rules.items() if r.info.rule_set == "regulation")
    assert len(ids) == 19
    assert ids == RULE_IDS


def test_workspace_without_defects_scores_100_for_regulation() -> None:
    report = _audit(BASE)
    assert report["findings"] == []
    cell = report["scores"]["by_rule_set"]["regulation"]
    assert cell["score"] == 100.0 and cell["failed"] == 0
    # every rule of the set had something to check in the base workspace
    applicable = {rid: c["applicable"] for rid, c in report["scores"]["by_rule"].items()}
    assert all(applicable.get(rid, 0) > 0 for rid in RULE_IDS), applicable
