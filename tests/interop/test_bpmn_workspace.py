"""A workspace may hold .bpmn files next to YAML: linking (side file, naming rule), findings
that point at BPMN ids and XML lines, and clean input errors for hostile or unlinked files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from probis.engine.runner import audit
from probis.engine.yamlload import ParseError
from probis.plugins.interop.xmltree import parse_xml
from testkit import run_cli

AS_OF = dt.date(2026, 11, 28)
BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D1">
  <bpmn:collaboration id="C1">
    <bpmn:participant id="Pool" name="Dinas" processRef="P1"/>
    <bpmn:participant id="Pemohon" name="Pemohon"/>
  </bpmn:collaboration>
  <bpmn:process id="P1">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="Lane_fo" name="Petugas Front Office">
        <bpmn:flowNodeRef>Start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Verify</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Gw</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Orphan</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_kabid" name="Kepala Bidang">
        <bpmn:flowNodeRef>Sign</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Par</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Archive</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start" name="Permohonan masuk"/>
    <bpmn:userTask id="Verify" name="Memverifikasi berkas"/>
    <bpmn:exclusiveGateway id="Gw" name="Lengkap?" default="F_no"/>
    <bpmn:task id="Sign" name="Menandatangani"/>
    <bpmn:task id="Orphan" name="Tugas yatim"/>
    <bpmn:parallelGateway id="Par"/>
    <bpmn:task id="Archive" name="Mengarsipkan"/>
    <bpmn:endEvent id="End" name="Selesai"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Verify"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Verify" targetRef="Gw"/>
    <bpmn:sequenceFlow id="F_yes" sourceRef="Gw" targetRef="Sign">
      <bpmn:conditionExpression>${lengkap}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F_no" sourceRef="Gw" targetRef="Start"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Sign" targetRef="Par"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Par" targetRef="End"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Par" targetRef="Archive"/>
    <bpmn:sequenceFlow id="F6" sourceRef="Archive" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>
"""
ORPHAN_LINE = next(i for i, line in enumerate(BPMN.splitlines(), 1) if 'id="Orphan"' in line)
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</definitions>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</definitions>"""


def _workspace(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    ws = tmp_path / "ws"
    (ws / "peta").mkdir(parents=True)
    (ws / "probis.yaml").write_text("kind: workspace\nmaps: peta/\n", encoding="utf-8")
    for name, body in files.items():
        target = ws / "peta" / name
        if isinstance(body, bytes):
            target.write_bytes(body)
        else:
            target.write_text(body, encoding="utf-8")
    return ws


@pytest.fixture
def regulation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation,interop")


def test_naming_rule_links_and_findings_point_at_bpmn(tmp_path: Path, regulation_only) -> None:
    ws = _workspace(tmp_path, {"PB.04.02.01-LF.bpmn": BPMN})
    result = audit(ws, AS_OF)
    assert not result.input_errors
    lf = result.workspace.lf_by_process["PB.04.02.01"][0].lf
    assert [ln.id for ln in lf.lanes] == ["Lane_fo", "Lane_kabid", "Pemohon"]
    assert lf.lanes[2].external  # a black-box pool is an outside party
    steps = {s.id: s for s in lf.steps}
    assert steps["Gw"].type == "decision" and steps["Par"].type == "task"
    assert "paralel" in (steps["Par"].model_extra or {})["note"]
    labels = {(f.from_, f.to): f.label for f in lf.flows}
    assert labels[("Gw", "Sign")] == "${lengkap}" and labels[("Gw", "Start")] == "default"
    orphan = [f for f in result.findings if f.rule == "FLW002"
              and f.ref.element == "PB.04.02.01#Orphan"]
    assert orphan and orphan[0].ref.line == ORPHAN_LINE
    assert orphan[0].ref.file == "peta/PB.04.02.01-LF.bpmn"


def test_side_file_maps_lanes_to_units(tmp_path: Path, regulation_only) -> None:
    link = ("kind: bpmn-link\nprocess: PB.04.02.01\nunit: disdukcapil\nlanes:\n"
            "  Lane_fo: disdukcapil.dafduk\n  Kepala Bidang: {unit: disdukcapil.dafduk}\n"
            "  Pemohon: external\n")
    ws = _workspace(tmp_path, {"kk.bpmn": BPMN, "kk.bpmn.yaml": link})
    result = audit(ws, AS_OF)
    assert not result.input_errors
    lf = result.workspace.lf_by_process["PB.04.02.01"][0].lf
    assert lf.unit == "disdukcapil"
    assert [(ln.id, ln.unit, ln.external) for ln in lf.lanes] == [
        ("Lane_fo", "disdukcapil.dafduk", False), ("Lane_kabid", "disdukcapil.dafduk", False),
        ("Pemohon", None, True)]
    assert not [f for f in result.findings if f.rule == "FLW005" and "#Lane" in f.ref.element]


@pytest.mark.parametrize("name, body, words", [
    ("diagram.bpmn", BPMN.encode(), "kk.bpmn.yaml".replace("kk", "diagram")),
    ("PB.01-LF.bpmn", BOMB, "XML"),
    ("PB.02-LF.bpmn", XXE, "XML"),
    ("PB.03-LF.bpmn", b"<definitions><unclosed></definitions>", "line 1"),
    ("PB.04-LF.bpmn", b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "BPMN 2.0"),
])
def test_bad_bpmn_is_a_clean_input_error(tmp_path: Path, name: str, body: bytes,
                                         words: str) -> None:
    ws = _workspace(tmp_path, {name: body})
    code, out, err = run_cli("check", str(ws), "--as-of", "2026-11-28", "--lang", "en",
                             "--format", "json", "-o", str(tmp_path / "r.json"))
    assert code == 2, out + err
    assert name in err and words in err and "Traceback" not in err


def test_bombs_are_refused_by_the_parser() -> None:
    for raw in (BOMB, XXE):
        with pytest.raises(ParseError):
            parse_xml(raw)


def test_fields_the_importer_writes_are_not_unknown_fields(tmp_path: Path,
                                                           regulation_only) -> None:
    """`source`, a step's `note`, a flow's `id` and `message` come from the import
    (docs/format-extensions.md): no notice for them, while a YAML author's are still noticed."""
    message = ('<bpmn:messageFlow id="M1" name="Kabar" sourceRef="Verify" targetRef="Archive"/>'
               "\n  </bpmn:collaboration>")
    bpmn = BPMN.replace("</bpmn:collaboration>", message, 1)
    yaml_lf = ("kind: peta-lintas-fungsi\nprocess: PB.04.02.02\nsource: {bpmn: x.bpmn}\n"
               "lanes:\n  - {id: L1, name: Petugas}\n"
               "steps:\n  - {id: A, lane: L1, type: start, note: ditulis}\n"
               "  - {id: B, lane: L1, type: end}\n"
               "flows:\n  - {id: F1, from: A, to: B, message: true}\n")
    ws = _workspace(tmp_path, {"PB.04.02.01-LF.bpmn": bpmn, "PB.04.02.02-LF.yaml": yaml_lf})
    result = audit(ws, AS_OF)
    assert not result.input_errors
    lf = result.workspace.lf_by_process["PB.04.02.01"][0].lf
    assert (lf.model_extra or {}).get("source", {}).get("bpmn") == "PB.04.02.01-LF.bpmn"
    assert any((f.model_extra or {}).get("message") for f in lf.flows)
    assert "__reader_fields__" not in (lf.model_extra or {})
    noticed = {(n.file, n.field) for n in result.workspace.notices if n.code == "unknown-field"}
    assert noticed == {("peta/PB.04.02.02-LF.yaml", name) for name in
                       ("source", "steps[0].note", "flows[0].id", "flows[0].message")}
    code, out, err = run_cli("validate", str(ws), "--lang", "en")
    assert "PB.04.02.01-LF.bpmn" not in out + err and "Traceback" not in err


def test_a_bpmn_map_past_the_step_limit_is_an_input_error(tmp_path: Path,
                                                          regulation_only) -> None:
    # a generated file of unconnected tasks: 1,000,000 (34 MB) made every rule report each
    # one, and the report ran out of memory; the limit is lowered here to keep the test small
    tasks = "".join(f'<bpmn:task id="t{i}" name="n"/>' for i in range(40))
    bpmn = BPMN.replace("</bpmn:process>", tasks + "</bpmn:process>")
    ws = _workspace(tmp_path, {"PB.04.02.01-LF.bpmn": bpmn})
    code, out, err = run_cli("check", str(ws), "--as-of", "2026-11-28", "--lang", "en",
                             "--format", "json", "-o", str(tmp_path / "r.json"),
                             env={"PROBIS_MAX_STEPS": "30"})
    assert code == 2, out + err
    assert ("PB.04.02.01-LF.bpmn:7 (steps): cross-functional map holds 48 steps (limit 30); "
            "split it into subprocesses or raise the limit with PROBIS_MAX_STEPS") in err
    report = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert "PB.04.02.01#t0" not in report  # the map is not audited: no finding per task
    assert audit(ws, AS_OF).findings  # within the default limit, it is audited as before
