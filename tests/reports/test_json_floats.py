"""A slice of findings is written without scanning its whole text only when its floats are
proven to come out alike (engine/render/json_format.py ``_floats_alike``), on the values as
they are when it is written: a float orjson writes differently (``1e-05``, ``1.5e-07``)
still comes out as the standard library writes it, wherever it sits and whenever it got there
(the rule, a later change of the evidence, a profile override, a waiver, a plugin's section).

This module is also the test plugin (``floats``): its rule and section hook emit what
``PLAN`` holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from probis.engine import hookimpl
from probis.engine.findings import ElementRef, Finding
from probis.engine.i18n import text
from probis.engine.render import json_format
from probis.engine.render.json_format import _floats_alike, iter_report_bytes
from probis.engine.report import build_report
from probis.engine.rule import PythonRule, RuleInfo
from probis.engine.testing import audit_workspace, plugin_registry

from .conftest import AS_OF, write_report_workspace

BASIS = {"id": "PermenPANRB 19/2018 Pasal 5", "en": "PermenPANRB 19/2018 Article 5"}
FIX = {"id": "Perbaiki peta 1e-5 kali", "en": "Fix the map 0.00001 times"}  # text, no number
SHARED: list[Any] = ["kata", 1.0]  # shared by every finding's evidence, as OVL001's lists are
PLAN: dict[str, Any] = {}


def reference(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def written(value: object) -> bytes:
    return b"".join(iter_report_bytes(value, jobs=1))


@pytest.fixture(autouse=True)
def small_slices(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(json_format, "CHUNK_ITEMS", 2)  # small reports are sliced too
    PLAN.clear()
    del SHARED[2:]
    yield
    PLAN.clear()
    del SHARED[2:]


def _finding(i: int, evidence: dict[str, Any]) -> dict[str, Any]:
    ref = ElementRef(element=f"PB.01.01.{i:02d}", kind="process", file="peta/a.yaml",
                     line=i + 3, map="PB.01.01", unit="dinas-a")
    return Finding(rule="FLT001", rule_set="floats", severity="warning", ref=ref,
                   message={"id": f"temuan {i}", "en": f"finding {i}"}, basis=BASIS, fix=FIX,
                   evidence=evidence).to_dict(copy_texts=False)


def _safe(i: int) -> dict[str, Any]:
    return {"score": 0.25 + i, "big": 1e15, "zero": 0.0, "minus": -0.0, "small": 1e-4,
            "words": SHARED, "side": {"line": i, "name": "Proses", "ratio": 0.5}}


def test_plain_finding_slices_are_proven_without_scanning_their_text() -> None:
    findings = [_finding(i, _safe(i)) for i in range(7)]
    assert _floats_alike(findings[:2])  # the fast path is taken: its loss would go unnoticed
    report = {"probis": {"version": "x"}, "findings": findings, "waived": []}
    assert written(report) == reference(report)


@pytest.mark.parametrize(("rows", "proven"), [
    ([{"rule": "R1", "applicable": 3, "map": None}] * 3, True),  # scalars: nothing to write
    ([{"rule": "R1", "ratio": 0.5}, {"rule": "R2", "ratio": 2.0}], True),
    ([{"rule": "R1", "ratio": 0.5}, {"rule": "R2", "ratio": 1e-05}], False),
    ([{"rule": "R1", "ratio": 0.5}, {"rule": "R2", "ratio": True, "x": 1}], False),
    ([{"rule": "R1"}, {"aturan": "R1"}], False),
    ([{"rule": "R1"}, ["R1"]], False),
])
def test_any_list_of_dicts_alike(rows: list[Any], proven: bool) -> None:
    assert _floats_alike(rows) is proven
    assert written({"rows": rows}) == reference({"rows": rows})


def _with(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def put(finding: dict[str, Any]) -> None:
        target = finding
        for key in path[:-1]:  # copies on the way down: the other findings keep theirs
            copy = target[key] = dict(target[key])
            target = copy
        target[path[-1]] = value
    return put


@pytest.mark.parametrize("change", [
    _with(("evidence", "score"), 1e-05),
    _with(("evidence", "score"), 1.5e-07),
    _with(("evidence", "words"), ["kata", -1.5e-07]),
    _with(("evidence", "side", "ratio"), 1e-05),
    _with(("evidence",), [1e-05]),
    _with(("waiver",), {"reason": "x", "until": 1.5e-07}),
    _with(("message", "en"), 1e-05),
    _with(("basis",), [1.5e-07]),
    _with(("severity",), 1e-05),
    _with(("line",), 1.5e-07),
], ids=["evidence-1e-05", "evidence-1.5e-07", "in-a-list", "in-a-dict", "evidence-not-a-dict",
        "waiver", "message", "basis-not-a-dict", "severity", "line"])
@pytest.mark.parametrize("which", ["one", "all"])
def test_a_float_written_differently_anywhere_in_a_finding(
        change: Callable[[dict[str, Any]], None], which: str) -> None:
    findings = [_finding(i, _safe(i)) for i in range(5)]
    for finding in findings if which == "all" else findings[1:2]:
        change(finding)
    assert not _floats_alike(findings[:2])
    report = {"findings": findings}
    assert written(report) == reference(report)


def test_number_like_text_is_proven_and_written_alike() -> None:
    findings = [_finding(i, _safe(i)) for i in range(5)]
    for f in findings:
        f["message"] = {"id": "nilai 1.5e-7", "en": "value 0.00001"}
    assert _floats_alike(findings[:2])  # a pattern inside a text costs nothing
    findings[3]["evidence"] = dict(findings[3]["evidence"], note="skor 1e-5")
    assert not _floats_alike(findings[2:4])  # in the evidence it is scanned, as before
    assert written({"findings": findings}) == reference({"findings": findings})


# --- through the engine: the plugin's rule, a profile override, waivers, a section hook ---

class EveryProcess(PythonRule):
    info = RuleInfo(id="FLT001", rule_set="floats", severity="warning",
                    title=text("Bilangan", "Numbers"), checks=text("x", "x"),
                    basis=text(BASIS["id"], BASIS["en"]), rationale=text("x", "x"),
                    fix=text(FIX["id"], FIX["en"]), applies_to="process")

    def check(self, ctx: Any, out: Any) -> None:
        for i, entry in enumerate(ctx.workspace.processes):
            ref = ctx.workspace.ref_process(entry)
            out.applicable(ref)
            out.finding(ref, text(f"temuan {i}", f"finding {i}"),
                        evidence=PLAN.get("evidence", _safe)(i))


@hookimpl
def probis_register_rules(register: Callable[[PythonRule], None]) -> None:
    register(EveryProcess())


@hookimpl
def probis_report_sections(workspace: Any, result: Any) -> dict[str, Any] | None:
    return PLAN.get("sections")


def _audit(workspace: Path) -> Any:
    registry = plugin_registry({"floats": __name__})
    return audit_workspace(workspace, as_of=AS_OF, registry=registry)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report_workspace(tmp_path_factory.mktemp("floats") / "kota")


@pytest.mark.parametrize("tiny", [1e-05, 1.5e-07])
def test_a_rules_evidence_holding_a_tiny_float(workspace: Path, tiny: float) -> None:
    PLAN["evidence"] = lambda i: dict(_safe(i), score=tiny if i == 3 else 0.5)
    report = build_report(_audit(workspace))
    assert len(report["findings"]) >= 4
    assert written(report) == reference(report)
    assert f'"score": {json.dumps(tiny)}'.encode() in written(report)


def test_evidence_changed_after_the_rule_ran(workspace: Path) -> None:
    result = _audit(workspace)
    plain = build_report(result)
    assert written(plain) == reference(plain)
    result.findings[2].evidence["late"] = 1.5e-07  # after the rule's own check
    result.findings[0].evidence["words"].append(1e-05)  # a list all of them hold, in place
    report = build_report(result)
    assert written(report) == reference(report)
    report["findings"][-1]["evidence"]["side"]["ratio"] = 1e-05  # after the report was built
    assert written(report) == reference(report)


def test_a_profile_override_and_waivers(workspace: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_format, "CHUNK_ITEMS", 1)  # two active and two waived findings
    manifest = workspace / "probis.yaml"
    waivers = workspace / "waivers.yaml"
    saved = manifest.read_text(encoding="utf-8"), waivers.read_text(encoding="utf-8")
    first = _audit(workspace).findings
    try:
        manifest.write_text(saved[0].replace("    OVL001: error",
                                             "    OVL001: error\n    FLT001: error"),
                            encoding="utf-8")
        waivers.write_text(saved[1] + "".join(
            f"  - rule: FLT001\n    element: {f.ref.element}\n    reason: Sedang direvisi\n"
            f"    approved_by: Inspektorat\n    expires: {expires}\n"
            for f, expires in zip(first[:3], ["2027-12-31", "2027-12-31", "2026-01-31"],
                                  strict=True)),
            encoding="utf-8")
        PLAN["evidence"] = lambda i: dict(_safe(i), score=1.5e-07)
        result = _audit(workspace)
    finally:
        manifest.write_text(saved[0], encoding="utf-8")
        waivers.write_text(saved[1], encoding="utf-8")
    report = build_report(result)
    assert {f["severity"] for f in report["findings"] if f["rule"] == "FLT001"} == {"error"}
    assert len([f for f in report["waived"] if f["rule"] == "FLT001"]) == 2
    assert sum("expired_waiver" in f["evidence"] for f in report["findings"]) == 1
    assert written(report) == reference(report)


def test_a_plugin_section_holding_a_float(workspace: Path) -> None:
    rows = [{"message": {"id": "baris", "en": "row"}, "basis": BASIS, "fix": FIX,
             "nilai": 1e-05 if i == 4 else 0.5} for i in range(6)]
    PLAN["sections"] = {"floats": rows,
                        "texts": [dict(r, nilai=0.5, message={"id": 1.5e-07}) for r in rows]}
    report = build_report(_audit(workspace))
    assert report["floats"] == rows
    assert written(report) == reference(report)
