"""Drawings of the sample city's maps (engine/diagram): every lane, step and flow label is on
the swimlane drawing, exactly the elements with findings are marked and linked to them, no
two shapes or flow labels overlap, names from files are escaped, and the bytes are stable."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from probis.engine.diagram import MapDrawing, draw_unit_maps
from probis.engine.diagram.layout import Box, label_boxes, layout, overlaps
from probis.engine.diagram.marks import FindingIndex
from probis.engine.diagram.swimlane import draw_swimlane
from probis.engine.loader import load_workspace
from probis.engine.model import CrossFunctionalMap
from probis.engine.report import build_report
from probis.engine.runner import audit
from probis.engine.workspace import Workspace
from testkit import AS_OF, SAMPLE_CITY

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def city() -> tuple[Workspace, dict[str, Any]]:
    result = audit(SAMPLE_CITY, as_of=AS_OF, jobs=1)
    return result.workspace, build_report(result)


@pytest.fixture(scope="module")
def drawings(city: tuple[Workspace, dict[str, Any]]) -> list[MapDrawing]:
    ws, report = city
    return draw_unit_maps(ws, report, None, "id")


def _texts(root: ET.Element) -> list[str]:
    """Each <text> element's lines joined by a space (names are wrapped into tspans)."""
    return [" ".join(t.text or "" for t in text.iter(f"{SVG}tspan"))
            for text in root.iter(f"{SVG}text")]


def _marked(root: ET.Element) -> dict[str, str]:
    """id of each group holding a finding link -> the fingerprint it links to."""
    out = {}
    for g in root.iter(f"{SVG}g"):
        for a in g.findall(f"{SVG}a"):
            out[g.get("id", "")] = a.get("href", "").removeprefix("#finding-")
    return out


def test_every_map_is_drawn_and_parses(city, drawings) -> None:
    ws, _ = city
    assert [d.code for d in drawings if d.kind == "proses"] == sorted(
        (e.map.code for e in ws.maps), key=lambda c: (c.count("."), c))
    assert sorted(d.code for d in drawings if d.kind == "lintas_fungsi") == sorted(
        e.lf.process for e in ws.lf_maps)
    for d in drawings:
        root = ET.fromstring(d.svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("id") == f"map-{d.code}"
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids)) and all(i.startswith(f"map-{d.code}") for i in ids)
        assert "http://" not in d.svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_swimlane_shows_every_lane_step_and_flow_label(city, drawings) -> None:
    ws, _ = city
    by_code = {d.code: d for d in drawings if d.kind == "lintas_fungsi"}
    for entry in ws.lf_maps:
        lf = entry.lf
        texts = _texts(ET.fromstring(by_code[lf.process].svg))
        for lane in lf.lanes:
            assert (lane.name or ws.unit_name(lane.unit)) in texts, lane.id
            if lane.unit and not lane.external:  # the unit's readable name, not only its id
                assert any(ws.unit_name(lane.unit) in t or lane.name == ws.unit_name(lane.unit)
                           for t in texts), lane.unit
        for step in lf.steps:
            assert (step.name or step.id) in texts, step.id
        for flow in lf.flows:
            if flow.label is not None:
                assert str(flow.label) in texts


def _expected_marks(ws: Workspace, report: dict[str, Any]) -> dict[str, set[str]]:
    """id of the group each finding on a drawn element must mark, from the report alone."""
    out: dict[str, set[str]] = {}
    for f in report["findings"]:
        kind, element = f["element_type"], f["element"]
        for entry in ws.lf_maps:
            lf, sid = entry.lf, f"map-{entry.lf.process}"
            if f["file"] != entry.file:
                continue
            if kind == "lf-map" and element == lf.process:
                out.setdefault(f"{sid}-title-box", set()).add(f["fingerprint"])
            for i, step in enumerate(lf.steps):
                if kind == "step" and element == f"{lf.process}#{step.id}":
                    out.setdefault(f"{sid}-step-{i}", set()).add(f["fingerprint"])
            for i, lane in enumerate(lf.lanes):
                if kind == "lane" and element == f"{lf.process}#{lane.id}":
                    out.setdefault(f"{sid}-lane-{i}", set()).add(f["fingerprint"])
            for i, flow in enumerate(lf.flows):
                if kind == "flow" and element == f"{lf.process}#{flow.from_}->{flow.to}":
                    out.setdefault(f"{sid}-flow-{i}", set()).add(f["fingerprint"])
        for entry in ws.maps:
            m, sid = entry.map, f"map-{entry.map.code}"
            if f["file"] != entry.file:
                continue
            if kind == "map" and element == m.code:
                key = f"{sid}-title-box" if m.level == 0 else f"{sid}-root"
                out.setdefault(key, set()).add(f["fingerprint"])
            for i, p in enumerate(m.processes):
                if kind == "process" and element == p.code:
                    out.setdefault(f"{sid}-process-{i}", set()).add(f["fingerprint"])
    return out


def test_exactly_the_elements_with_findings_are_marked(city, drawings) -> None:
    ws, report = city
    marked: dict[str, str] = {}
    for d in drawings:
        marked.update(_marked(ET.fromstring(d.svg)))
    expected = _expected_marks(ws, report)
    assert set(marked) == set(expected)
    for gid, fingerprint in marked.items():
        assert fingerprint in expected[gid]  # links to a finding the element carries
    # the planted defects of the dinkes map (sample_maps/kota-metro/DEFECTS.md)
    dinkes = {gid for gid in marked if gid.startswith("map-PB.05.02.02-")}
    assert dinkes == {"map-PB.05.02.02-step-3", "map-PB.05.02.02-step-5",
                      "map-PB.05.02.02-flow-9"}  # s4 dead end, s6 unlabelled, s10 -> s9
    assert len(marked) >= 20  # processes, maps, lanes, flows: the sample has them all


def test_findings_of_one_unit_only(city) -> None:
    ws, report = city
    drawn = draw_unit_maps(ws, report, "dinkes", "en")
    assert [(d.code, d.kind) for d in drawn] == [
        ("PB.05", "proses"), ("PB.05.01", "proses"), ("PB.05.02", "proses"),
        ("PB.05.02.03", "proses"), ("PB.05.02.02", "lintas_fungsi")]
    assert drawn[0].title.startswith("Value chain: PB.05")
    assert draw_unit_maps(ws, report, "no-such-unit", "id") == []


def test_same_input_same_bytes(city, drawings) -> None:
    ws, report = city
    again = draw_unit_maps(load_workspace(SAMPLE_CITY), report, None, "id")
    assert [d.svg for d in again] == [d.svg for d in drawings]


def _box(e: ET.Element) -> Box:
    return Box(*(float(e.get(k, "0")) for k in ("x", "y", "width", "height")))


def test_no_two_shapes_or_labels_overlap(city, drawings) -> None:
    ws, _ = city
    for entry in ws.lf_maps:
        geo = layout(entry.lf)
        for a, b in itertools.combinations(geo.steps.values(), 2):
            assert not overlaps(a, b), entry.lf.process
        for a, b in itertools.combinations(geo.lanes.values(), 2):
            assert not overlaps(a, b), entry.lf.process
    for d in drawings:
        root = ET.fromstring(d.svg)
        labels = [_box(r) for r in root.iter(f"{SVG}rect")
                  if r.get("class") == "probis-flow-label"]
        for a, b in itertools.combinations(labels, 2):
            assert not overlaps(a, b), d.code
        nodes = [_box(r) for g in root.iter(f"{SVG}g") if g.get("class") == "probis-node"
                 for r in g.iter(f"{SVG}rect")]
        for a, b in itertools.combinations(nodes, 2):
            assert not overlaps(a, b), d.code


def _branching_map() -> CrossFunctionalMap:
    """A decision whose two labelled branches leave along the same row: their labels sat on
    the same spot before (both at the first segment's start)."""
    return CrossFunctionalMap.model_validate({
        "kind": "peta-lintas-fungsi", "process": "PB.99.01",
        "lanes": [{"id": "a", "name": "Bagian A", "unit": "x"}],
        "steps": [{"id": "s", "lane": "a", "type": "start"},
                  {"id": "d", "lane": "a", "type": "decision", "name": "Lengkap?"},
                  {"id": "t1", "lane": "a", "type": "task", "name": "Proses"},
                  {"id": "t2", "lane": "a", "type": "task", "name": "Tutup"},
                  {"id": "e", "lane": "a", "type": "end"}],
        "flows": [{"from": "s", "to": "d"}, {"from": "d", "to": "t1", "label": "Ya"},
                  {"from": "d", "to": "t2", "label": "Tidak"}, {"from": "t1", "to": "t2"},
                  {"from": "t2", "to": "e"}]})


def test_decision_branch_labels_do_not_overlap_in_svg_and_bpmn(city) -> None:
    from probis.plugins.interop.bpmn_export import BPMNDI_NS, DC_NS, export_bpmn

    ws, _ = city
    maps = [_branching_map()] + [e.lf for e in ws.lf_maps]
    for lf in maps:
        geo = layout(lf)
        boxes = label_boxes(lf, geo)
        for a, b in itertools.combinations(boxes.values(), 2):
            assert not overlaps(a, b), lf.process
        svg = ET.fromstring(draw_swimlane(lf, "x.yaml", FindingIndex([]), "id",
                                          lambda u: u or "-", lf.process))
        drawn = [_box(r) for r in svg.iter(f"{SVG}rect") if r.get("class") == "probis-flow-label"]
        assert len(drawn) == len(boxes)
        for a, b in itertools.combinations(drawn, 2):
            assert not overlaps(a, b), lf.process
        bpmn = ET.fromstring(export_bpmn(lf))
        di = [_box(label.find(f"{{{DC_NS}}}Bounds"))
              for label in bpmn.iter(f"{{{BPMNDI_NS}}}BPMNLabel")]
        assert len(di) == len(boxes)
        for a, b in itertools.combinations(di, 2):
            assert not overlaps(a, b), lf.process


def test_hostile_names_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & \'q\' \x01'
    lf = CrossFunctionalMap.model_validate({
        "kind": "peta-lintas-fungsi", "process": "PB.66.01",
        "lanes": [{"id": "a", "name": hostile, "unit": "<b>unit</b>"}],
        "steps": [{"id": "s", "lane": "a", "type": "start", "name": hostile},
                  {"id": "d", "lane": "a", "type": "decision", "name": hostile},
                  {"id": "e", "lane": "zzz", "type": "end", "name": "]]>"}],
        "flows": [{"from": "s", "to": "d", "label": "<img src=x onerror=alert(1)>"},
                  {"from": "d", "to": "e", "label": '"><script>'},
                  {"from": "d", "to": "gone", "label": "<svg onload=alert(1)>"}]})
    finding = {"file": "f.yaml", "element_type": "step", "element": "PB.66.01#s",
               "severity": "error", "rule": "FLW002", "fingerprint": '"><script>',
               "message": {"id": hostile, "en": hostile}}
    svg = draw_swimlane(lf, "f.yaml", FindingIndex([finding]), "id", lambda u: hostile, hostile)
    root = ET.fromstring(svg)  # well-formed XML despite the names
    assert "<script" not in svg and "<img" not in svg and "<svg onload" not in svg
    assert "\x01" not in svg
    texts = _texts(root)
    assert any("<script>" in t for t in texts)  # shown as text, not markup
    assert _marked(root) == {"map-PB.66.01-step-0": '"><script>'}
