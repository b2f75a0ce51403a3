"""YAML -> BPMN -> YAML keeps steps, lanes and flows for every cross-functional map of the
sample city; the exported file is BPMN a modeller can open (diagram for every element)."""

from __future__ import annotations

from pathlib import Path

import pytest
from probis.engine.limits import Limits
from probis.engine.loader import load_workspace
from probis.engine.model import CrossFunctionalMap
from probis.plugins.interop.bpmn_export import BPMNDI_NS, export_bpmn
from probis.plugins.interop.bpmn_import import BPMN_NS, import_bpmn
from probis.plugins.interop.bpmn_link import resolve_link
from probis.plugins.interop.xmltree import parse_xml

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CITY = ROOT / "sample_maps" / "kota-metro"

_WS = load_workspace(SAMPLE_CITY)
LF_MAPS = {e.lf.process: e.lf for e in _WS.lf_maps}


def _roundtrip(lf: CrossFunctionalMap) -> CrossFunctionalMap:
    raw = export_bpmn(lf)
    root = parse_xml(raw)
    # no side file and no -LF name: the exporter's probis:process attribute links the file
    docs = import_bpmn(root, resolve_link(Path("exported.bpmn"), root, Limits()), "exported.bpmn")
    assert len(docs) == 1
    return CrossFunctionalMap.model_validate(docs[0])


def _steps(lf: CrossFunctionalMap) -> list[tuple]:
    return [(s.id, s.type, s.name, s.lane, None if s.time is None else str(s.time), s.output)
            for s in lf.steps]


def _flows(lf: CrossFunctionalMap) -> list[tuple]:
    return [(f.from_, f.to, None if f.label is None else str(f.label)) for f in lf.flows]


def _lanes(lf: CrossFunctionalMap) -> list[tuple]:
    return [(ln.id, ln.name, ln.unit, ln.external) for ln in lf.lanes]


def test_sample_city_has_cross_functional_maps() -> None:
    assert len(LF_MAPS) >= 5


@pytest.mark.parametrize("process", sorted(LF_MAPS))
def test_roundtrip_keeps_the_map(process: str) -> None:
    lf = LF_MAPS[process]
    back = _roundtrip(lf)
    assert back.process == lf.process
    assert back.unit == lf.unit
    assert _lanes(back) == _lanes(lf)
    assert _steps(back) == _steps(lf)
    assert _flows(back) == _flows(lf)


@pytest.mark.parametrize("process", sorted(LF_MAPS))
def test_export_has_a_diagram_for_every_element(process: str) -> None:
    lf = LF_MAPS[process]
    root = parse_xml(export_bpmn(lf))
    nodes = root.iter()
    shapes = {n.get("bpmnElement") for n in nodes if n.ns == BPMNDI_NS and n.tag == "BPMNShape"}
    edges = {n.get("bpmnElement") for n in nodes if n.ns == BPMNDI_NS and n.tag == "BPMNEdge"}
    flow_nodes = [n for n in nodes if n.ns == BPMN_NS and n.tag in
                  ("startEvent", "endEvent", "task", "exclusiveGateway", "lane", "participant")]
    assert {n.get("id") for n in flow_nodes} <= shapes
    ids = [n.get("id") for n in nodes if n.get("id")]
    assert len(ids) == len(set(ids)), "XML ids must be unique"
    step_ids = {n.get("id") for n in flow_nodes}
    for flow in (n for n in nodes if n.ns == BPMN_NS and n.tag == "sequenceFlow"):
        if flow.get("sourceRef") in step_ids and flow.get("targetRef") in step_ids:
            assert flow.get("id") in edges


def test_export_is_deterministic() -> None:
    lf = next(iter(LF_MAPS.values()))
    assert export_bpmn(lf) == export_bpmn(lf)


def test_odd_ids_survive(tmp_path: Path) -> None:
    """Ids that are no XML ids (a leading digit, a space) and a duplicated step id."""
    lf = CrossFunctionalMap.model_validate({
        "kind": "peta-lintas-fungsi", "process": "PB.01", "unit": "u",
        "lanes": [{"id": "1 lane", "unit": "u.a"}, {"id": "x", "external": True}],
        "steps": [{"id": "1", "type": "start", "lane": "1 lane"},
                  {"id": "x", "type": "task", "lane": "ghost", "time": 15},
                  {"id": "x", "type": "decision"}, {"id": "e", "type": "end", "lane": "x"}],
        "flows": [{"from": "1", "to": "x", "label": 7}, {"from": "x", "to": "e"},
                  {"from": "x", "to": "missing"}],
    })
    back = _roundtrip(lf)
    assert _steps(back) == _steps(lf)
    assert _lanes(back) == _lanes(lf)
    assert _flows(back) == _flows(lf)


def test_export_command(tmp_path: Path) -> None:
    from testkit import run_cli

    process = sorted(LF_MAPS)[0]
    out = tmp_path / "map.bpmn"
    code, stdout, stderr = run_cli("export-bpmn", str(SAMPLE_CITY), process, "-o", str(out))
    assert code == 0, stderr
    assert parse_xml(out.read_bytes()).tag == "definitions"
    code, _, stderr = run_cli("export-bpmn", str(SAMPLE_CITY), "NO.SUCH", "-o", str(out))
    assert code == 2 and "NO.SUCH" in stderr and "Traceback" not in stderr


