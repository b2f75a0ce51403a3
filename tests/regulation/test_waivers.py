"""Waivers: a valid one moves the finding to `waived` and the check leaves the score; an
expired one stops applying and the report says so; a malformed file or an unknown rule is an
input error (exit 2) naming file and line."""

from __future__ import annotations

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
waivers: waivers.yaml
"""


def _workspace(tmp_path: Path, waivers: str) -> Path:
    # REG012's invalid fixture: map UJ holds 11 processes (REG012, info) among other defects
    ws = build_workspace(tmp_path / "ws", RULES_DIR / "REG012" / ELEVEN_PROCESSES)
    (ws / "probis.yaml").write_text(MANIFEST, encoding="utf-8")
    (ws / "waivers.yaml").write_text("kind: waivers\nwaivers:\n" + waivers, encoding="utf-8")
    return ws


def _waiver(expires: str, rule: str = "REG012", element: str = "UJ",
            reason: str = "Peta layanan terpadu; dipecah pada revisi 2027") -> str:
    return (f"  - rule: {rule}\n    element: {element}\n    reason: {reason}\n"
            f"    approved_by: Inspektorat\n    expires: {expires}\n")


def _report(ws: Path) -> dict:
    return build_report(audit(ws, as_of=AS_OF))


def _reg012(report: dict, key: str = "findings") -> list[str]:
    return sorted(f["element"] for f in report[key] if f["rule"] == "REG012")


@pytest.fixture(autouse=True)
def _regulation_only(only_plugins) -> None:
    only_plugins("regulation")


def test_valid_waiver_moves_the_finding_and_leaves_the_score(tmp_path: Path) -> None:
    baseline = _report(_workspace(tmp_path / "a", ""))
    report = _report(_workspace(tmp_path / "b", _waiver("2026-11-28")))  # valid on its last day
    assert report["input_errors"] == []
    assert _reg012(baseline) == ["DL", "UJ"]
    assert _reg012(report) == ["DL"] and _reg012(report, "waived") == ["UJ"]
    [waived] = report["waived"]
    assert waived["waiver"]["approved_by"] == "Inspektorat"
    assert waived["waiver"]["file"] == "waivers.yaml" and waived["waiver"]["line"] == 3
    before, after = baseline["scores"]["by_rule"]["REG012"], report["scores"]["by_rule"]["REG012"]
    assert after["applicable"] == before["applicable"] - 1
    assert after["failed"] == before["failed"] - 1
    assert report["summary"]["waived"] == 1 and report["expired_waivers"] == []


def test_expired_waiver_stops_applying_and_is_reported(tmp_path: Path) -> None:
    report = _report(_workspace(tmp_path, _waiver("2026-11-27")))
    assert report["input_errors"] == []
    assert _reg012(report) == ["DL", "UJ"] and report["waived"] == []
    [expired] = report["expired_waivers"]
    assert expired["rule"] == "REG012" and expired["element"] == "UJ"
    assert expired["expires"] == "2026-11-27" and expired["matched"] is True
    [finding] = [f for f in report["findings"] if f["rule"] == "REG012" and f["element"] == "UJ"]
    assert finding["evidence"]["expired_waiver"]["expires"] == "2026-11-27"


def test_waiver_for_a_finding_that_no_longer_occurs_is_listed_unused(tmp_path: Path) -> None:
    report = _report(_workspace(tmp_path, _waiver("2027-12-31", element="PB")))
    assert report["waived"] == [] and report["unused_waivers"][0]["element"] == "PB"


@pytest.mark.parametrize(("waiver", "field", "line"), [
    (_waiver("2027-01-01", reason='""'), "waivers[0].reason", 5),  # the field's own line
    ("  - {rule: REG012, element: UJ, approved_by: Inspektorat, expires: 2027-01-01}\n",
     "waivers[0].reason", 3),
    (_waiver("2026-13-01"), "waivers[0].expires", 7),  # no date: that field, at its line
    ("  - {rule: REG012, element: UJ, reason: Alasan, expires: 2027-01-01}\n",
     "waivers[0].approved_by", 3),
])
def test_malformed_waiver_file_is_an_input_error(tmp_path: Path, waiver: str, field: str,
                                                 line: int) -> None:
    ws = _workspace(tmp_path, waiver)
    report = _report(ws)
    [error] = report["input_errors"]
    assert (error["file"], error["field"], error["line"]) == ("waivers.yaml", field, line)
    assert error["message"]["id"] and error["message"]["en"]
    # nothing is waived by a file that did not load, and the rest is still audited
    assert report["waived"] == [] and _reg012(report) == ["DL", "UJ"]
    code, _, err = run_cli("check", str(ws), "--as-of", "2026-11-28",
                           env={"PROBIS_LOAD_PLUGINS": "regulation"})
    assert code == 2 and "Traceback" not in err


def test_waiver_naming_an_unknown_rule_is_an_input_error(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROBIS_LOAD_PLUGINS", raising=False)
    report = _report(_workspace(tmp_path, _waiver("2027-01-01", rule="REG999")))
    [error] = [e for e in report["input_errors"] if "REG999" in e["message"]["en"]]
    assert error["file"] == "waivers.yaml" and error["line"] == 3
