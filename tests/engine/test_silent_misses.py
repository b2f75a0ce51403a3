"""No silent miss: a reference that points nowhere, an enumerated value in another case or
spelling, an unknown field, a typo'd unit: each is reported, once, where it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from format_examples import EXAMPLE_PATHS
from probis.engine.report import build_report
from probis.engine.runner import audit

AS_OF = dt.date(2026, 11, 28)
MAP = EXAMPLE_PATHS["peta-proses"]
LF = EXAMPLE_PATHS["peta-lintas-fungsi"]


def _edit(ws: Path, rel: str, old: str, new: str) -> None:
    path = ws / rel
    body = path.read_text(encoding="utf-8")
    assert old in body, old
    path.write_text(body.replace(old, new, 1), encoding="utf-8")


def _report(ws: Path) -> dict[str, Any]:
    return build_report(audit(ws, as_of=AS_OF))


def _findings(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == rule]


def test_cross_functional_map_for_an_unknown_process(example_workspace: Path) -> None:
    _edit(example_workspace, LF, "process: PB.04.02.01", "process: PB.04.02.09")
    [finding] = [f for f in _findings(_report(example_workspace), "FLW004")
                 if f["element_type"] == "lf-map"]
    assert finding["element"] == "PB.04.02.09"
    assert "PB.04.02.01" in finding["message"]["en"]  # the closest existing process


def test_next_to_an_unknown_process(example_workspace: Path) -> None:
    findings = _findings(_report(example_workspace), "ALN002")
    assert any("`next`: PB.04.02.02" in f["message"]["en"] for f in findings)


def test_status_is_matched_case_insensitively(example_workspace: Path) -> None:
    _edit(example_workspace, MAP, "status: final", "status: Final")
    _edit(example_workspace, MAP, "last_evaluated: 2025-06-30", "")
    report = _report(example_workspace)
    assert not report["input_errors"]
    # a final map without a recorded evaluation: REG011 runs because `Final` is final
    assert any(f["element"] == "PB.04.02" for f in _findings(report, "REG011"))


def test_unknown_status_lists_the_allowed_values(example_workspace: Path) -> None:
    _edit(example_workspace, MAP, "status: final", "status: disahkan")
    report = _report(example_workspace)
    [error] = [e for e in report["input_errors"] if e["field"] == "status"]
    assert "draft, final" in error["message"]["en"]
    assert error["line"] == 7
    assert report["workspace"]["counts"]["maps"] == 1  # the map is still audited


def test_unknown_field_is_a_notice_with_the_closest_field(example_workspace: Path) -> None:
    _edit(example_workspace, MAP, "    owner: disdukcapil.dafduk", "    ownr: disdukcapil.dafduk")
    report = _report(example_workspace)
    [notice] = [n for n in report["notices"] if n["code"] == "unknown-field"]
    assert notice["field"] == "processes[0].ownr"
    assert "did you mean `owner`?" in notice["message"]["en"]
    assert "maksudnya `owner`?" in notice["message"]["id"]
    lines = (example_workspace / MAP).read_text(encoding="utf-8").splitlines()
    assert "ownr:" in lines[notice["line"] - 1]


def test_unit_typo_gets_the_closest_unit_and_no_knock_on(example_workspace: Path) -> None:
    _edit(example_workspace, MAP, "    owner: disdukcapil.dafduk", "    owner: disdukcapil.dafdukk")
    report = _report(example_workspace)
    [reg008] = [f for f in _findings(report, "REG008") if f["element"] == "PB.04.02.01"]
    assert "disdukcapil.dafdukk (perhaps disdukcapil.dafduk?)" in reg008["message"]["en"]
    assert not [f for f in _findings(report, "ALN006") if "has no Renstra" in f["message"]["en"]]


def test_waiver_for_an_element_that_does_not_exist(example_workspace: Path) -> None:
    _edit(example_workspace, EXAMPLE_PATHS["waivers"], "expires: 2026-06-30",
          "expires: 2027-06-30")
    _edit(example_workspace, EXAMPLE_PATHS["waivers"], "element: PB.07.01.03",
          "element: PB.04.02.0l")
    report = _report(example_workspace)
    [unused] = report["unused_waivers"]
    assert unused["unknown_element"] is True
    assert "PB.04.02.01" in unused["closest"]
