"""Every rule fails on its invalid fixture (and only there) and passes on the valid ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from probis.engine.plugins import build_registry

INVALID = sorted((FIXTURES / "invalid").glob("CTH*.yaml"))
RULE_IDS = [f"CTH00{n}" for n in range(1, 9)]


def test_valid_fixtures_have_no_findings_and_every_rule_applies(run_audit) -> None:
    result = run_audit()
    assert result.input_errors == []
    assert [f.to_dict() for f in result.findings] == []
    assert result.engine_findings == []
    applied = {rule for rule, *_ in result.applicable}
    assert applied == set(RULE_IDS)  # every rule was really exercised, not vacuously passed


# [snippet:invalid]
@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_its_rule_only(run_audit, fixture: Path) -> None:
    expected = fixture.name[:6]  # invalid/CTH003-step-without-executor.yaml -> CTH003
    result = run_audit(fixture)
    assert result.input_errors == []
    assert {f.rule for f in result.findings} == {expected}
    finding = result.findings[0]
    assert finding.ref.file == f"sop/{fixture.name}"
    assert finding.message["id"] and finding.message["en"]
    assert "{" not in finding.message["en"]  # every placeholder was filled
# [/snippet]


def test_every_rule_has_an_invalid_fixture() -> None:
    assert sorted({p.name[:6] for p in INVALID}) == RULE_IDS


def test_rule_metadata_is_bilingual(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "contoh-sop")
    registry = build_registry()
    assert sorted(registry.rules) == RULE_IDS
    for rule in registry.rules.values():
        info = rule.info
        assert info.rule_set == "contoh-sop"
        for field in ("title", "checks", "basis", "rationale", "fix"):
            text = getattr(info, field)
            assert text["id"].strip() and text["en"].strip(), (info.id, field)
        assert info.example_fail and info.example_pass, info.id


def test_bad_sop_file_is_an_input_error_naming_line_and_field(run_audit) -> None:
    result = run_audit(FIXTURES / "invalid" / "input-error-bad-step-type.yaml")
    errors = [e for e in result.input_errors if e.file == "sop/input-error-bad-step-type.yaml"]
    assert len(errors) == 1
    assert errors[0].line == 7 and errors[0].field == "steps[0].type"


def test_without_the_plugin_sop_files_are_skipped_with_a_notice(tmp_path, monkeypatch) -> None:
    """The workspace declares `plugins: {contoh-sop: probis-plugin-sop}`; without the plugin
    loaded its SOP files are not input errors but one notice naming the package to install."""
    import shutil

    from probis.engine.runner import audit

    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "")
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURES / "workspace", workspace)
    result = audit(workspace, registry=build_registry())
    assert result.input_errors == []
    assert [n.field for n in result.workspace.notices] == ["plugins.contoh-sop"]
    assert "pip install probis-plugin-sop" in result.workspace.notices[0].message["en"]
