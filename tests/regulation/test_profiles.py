"""Profiles: `extends` (recommended, strict), per-rule severity overrides and `off`, and the
input errors for an unknown rule or profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probis.engine.report import build_report
from probis.engine.runner import audit
from rule_fixtures import RULES_DIR, build_workspace
from testkit import AS_OF, run_cli

ELEVEN_PROCESSES = "invalid-eleven-processes-or-seventh-level"

MANIFEST = """\
kind: workspace
instansi: Pemerintah Kota Uji
sotk: sotk/sotk.yaml
maps: peta/
"""


def _workspace(tmp_path: Path, profile: str = "") -> Path:
    # REG012's invalid fixture: 11 bare processes (REG001/005/006/007/013 fail too) and a
    # level-6 map, so errors, warnings and infos all occur
    ws = build_workspace(tmp_path / "ws", RULES_DIR / "REG012" / ELEVEN_PROCESSES)
    (ws / "probis.yaml").write_text(MANIFEST + profile, encoding="utf-8")
    return ws


def _report(ws: Path) -> dict:
    return build_report(audit(ws, as_of=AS_OF))


def _severities(report: dict, rule: str) -> set[str]:
    return {f["severity"] for f in report["findings"] if f["rule"] == rule}


@pytest.fixture(autouse=True)
def _regulation_only(only_plugins) -> None:
    only_plugins("regulation")


def test_recommended_is_the_default(tmp_path: Path) -> None:
    default = _report(_workspace(tmp_path))
    assert default["input_errors"] == []
    assert _severities(default, "REG012") == {"info"}
    assert _severities(default, "REG006") == {"warning"}
    assert _severities(default, "REG001") == {"error"}
    explicit = _report(_workspace(tmp_path / "b", "profile:\n  extends: [recommended]\n"))
    assert explicit["findings"] == default["findings"] and explicit["score"] == default["score"]


def test_strict_raises_every_rule_one_step(tmp_path: Path) -> None:
    report = _report(_workspace(tmp_path, "profile:\n  extends: [strict]\n"))
    assert report["input_errors"] == []
    assert _severities(report, "REG012") == {"warning"}
    assert _severities(report, "REG006") == {"error"}
    assert _severities(report, "REG001") == {"error"}
    assert report["rules"]["REG012"]["setting"] == "warning"


def test_rule_override_comes_after_extends(tmp_path: Path) -> None:
    profile = "profile:\n  extends: [strict]\n  rules:\n    REG006: info\n    REG012: error\n"
    report = _report(_workspace(tmp_path, profile))
    assert report["input_errors"] == []
    assert _severities(report, "REG006") == {"info"}
    assert _severities(report, "REG012") == {"error"}
    # the override changes the weight of passed checks too: REG012 is scored as an error
    default = _report(_workspace(tmp_path / "b"))
    assert report["scores"]["by_rule"]["REG012"]["applicable"] == \
        default["scores"]["by_rule"]["REG012"]["applicable"]


def test_off_leaves_both_sides_of_the_score(tmp_path: Path) -> None:
    default = _report(_workspace(tmp_path / "a"))
    report = _report(_workspace(tmp_path / "b", "profile:\n  rules:\n    REG012: off\n"))
    assert report["input_errors"] == []
    assert _severities(report, "REG012") == set()
    assert "REG012" not in report["scores"]["by_rule"]
    assert report["rules"]["REG012"]["setting"] == "off"
    before = default["scores"]["by_rule_set"]["regulation"]
    after = report["scores"]["by_rule_set"]["regulation"]
    removed = default["scores"]["by_rule"]["REG012"]
    assert removed["applicable"] > 0 and removed["failed"] > 0
    assert after["applicable"] == before["applicable"] - removed["applicable"]
    assert after["failed"] == before["failed"] - removed["failed"]


def test_unknown_rule_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # with every installed plugin loaded, an id no plugin knows is a mistake, not a notice
    monkeypatch.delenv("PROBIS_LOAD_PLUGINS", raising=False)
    ws = _workspace(tmp_path, "profile:\n  rules:\n    REG099: warning\n")
    report = _report(ws)
    [error] = [e for e in report["input_errors"] if e["field"] == "profile.rules.REG099"]
    # the line of the `rules:` block (the loader keeps lines per mapping, not per key)
    assert error["file"] == "probis.yaml" and error["line"] == 6
    assert "REG099" in error["message"]["en"] and "REG099" in error["message"]["id"]
    code, out, err = run_cli("check", str(ws), "--as-of", "2026-11-28", "-f", "json")
    assert code == 2, err
    assert "Traceback" not in err and "REG099" in err
    assert json.loads(out)["input_errors"]


def test_unknown_profile_is_an_input_error(tmp_path: Path) -> None:
    report = _report(_workspace(tmp_path, "profile:\n  extends: [lenient]\n"))
    [error] = report["input_errors"]
    assert error["file"] == "probis.yaml" and error["field"] == "profile.extends"
    assert "lenient" in error["message"]["en"] and "strict" in error["message"]["en"]


def test_bad_severity_setting_is_an_input_error(tmp_path: Path) -> None:
    report = _report(_workspace(tmp_path, "profile:\n  rules:\n    REG006: fatal\n"))
    [error] = report["input_errors"]
    assert error["file"] == "probis.yaml" and error["field"] == "profile.rules.REG006"
    assert error["line"] is not None
