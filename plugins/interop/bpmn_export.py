"""Cross-functional map -> BPMN 2.0 XML with diagram interchange (BPMNDiagram), so Camunda
Modeler and bpmn.io open it with lanes and shapes in place.

What BPMN has no attribute for (SOTK unit of a lane, external lanes, step time and output, the
process code, ids that are not valid XML ids) is written as ``probis:*`` extension attributes;
the importer reads them back, so YAML -> BPMN -> YAML keeps the map.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from probis.engine.diagram.layout import Box, label_boxes, layout, waypoints
from probis.engine.model import CrossFunctionalMap

from .bpmn_import import BPMN_NS, PROBIS_NS

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
NAMESPACES = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "probis": PROBIS_NS}
TAGS = {"start": "startEvent", "end": "endEvent", "task": "task", "decision": "exclusiveGateway"}
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def _q(ns: str, tag: str) -> str:
    return f"{{{NAMESPACES[ns]}}}{tag}"


class _Ids:
    """XML ids are unique per file and must be NCNames; keep the probis id where it is one."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str | None, prefix: str) -> str:
        if wanted and _NCNAME.match(wanted) and wanted not in self.used:
            self.used.add(wanted)
            return wanted
        n = 1
        while f"{prefix}_{n}" in self.used:
            n += 1
        self.used.add(f"{prefix}_{n}")
        return f"{prefix}_{n}"


def _bounds(parent: ET.Element, box: Box) -> None:
    ET.SubElement(parent, _q("dc", "Bounds"), x=_n(box.x), y=_n(box.y), width=_n(box.w),
                  height=_n(box.h))


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def export_bpmn(lf: CrossFunctionalMap, title: str | None = None) -> bytes:
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    ids = _Ids()
    code = lf.process
    slug = re.sub(r"[^A-Za-z0-9_.\-]", "_", code)
    defs = ET.Element(_q("bpmn", "definitions"), {
        "id": ids.take(f"Definitions_{slug}", "Definitions"),
        "targetNamespace": "https://probis.dev/bpmn",
        "exporter": "probis", "exporterVersion": "1"})
    collab = ET.SubElement(defs, _q("bpmn", "collaboration"),
                           id=ids.take(f"Collaboration_{slug}", "Collaboration"))
    process_id = ids.take(f"Process_{slug}", "Process")
    pool_id = ids.take(f"Participant_{slug}", "Participant")
    ET.SubElement(collab, _q("bpmn", "participant"),
                  {"id": pool_id, "name": title or code, "processRef": process_id,
                   _q("probis", "lane"): "false"})
    process = ET.SubElement(defs, _q("bpmn", "process"),
                            {"id": process_id, "isExecutable": "false",
                             _q("probis", "process"): code})
    if lf.unit:
        process.set(_q("probis", "unit"), lf.unit)

    lane_xml_id: dict[int, str] = {}
    lane_set = None
    if lf.lanes:
        lane_set = ET.SubElement(process, _q("bpmn", "laneSet"),
                                 id=ids.take(f"LaneSet_{slug}", "LaneSet"))
    lane_elements: dict[str, ET.Element] = {}
    for i, lane in enumerate(lf.lanes):
        xml_id = ids.take(lane.id, "Lane")
        lane_xml_id[i] = xml_id
        attrs = {"id": xml_id}
        if lane.name:
            attrs["name"] = lane.name
        if xml_id != lane.id:
            attrs[_q("probis", "id")] = lane.id
        if lane.unit:
            attrs[_q("probis", "unit")] = lane.unit
        if lane.external:
            attrs[_q("probis", "external")] = "true"
        element = ET.SubElement(lane_set, _q("bpmn", "lane"), attrs)  # type: ignore[arg-type]
        lane_elements.setdefault(lane.id, element)

    step_xml_id: dict[int, str] = {}
    first_of: dict[str, int] = {}
    for i, step in enumerate(lf.steps):
        xml_id = ids.take(step.id, "Step")
        step_xml_id[i] = xml_id
        first_of.setdefault(step.id, i)
        attrs = {"id": xml_id}
        if step.name:
            attrs["name"] = step.name
        if xml_id != step.id:
            attrs[_q("probis", "id")] = step.id
        for field in ("time", "output"):
            value = getattr(step, field)
            if value is not None:
                attrs[_q("probis", field)] = str(value)
        if step.lane in lane_elements:
            ET.SubElement(lane_elements[step.lane], _q("bpmn", "flowNodeRef")).text = xml_id
        elif step.lane:
            attrs[_q("probis", "lane")] = step.lane  # a lane that does not exist (FLW004)
        ET.SubElement(process, _q("bpmn", TAGS[step.type]), attrs)

    def ref(step_id: str) -> str:
        # a flow to a step that does not exist keeps its id, so FLW004 still reports it
        return step_xml_id[first_of[step_id]] if step_id in first_of else step_id

    flow_ids: list[str] = []
    for flow in lf.flows:
        wanted = (flow.model_extra or {}).get("id")
        flow_id = ids.take(wanted if isinstance(wanted, str) else None, "Flow")
        flow_ids.append(flow_id)
        attrs = {"id": flow_id, "sourceRef": ref(flow.from_), "targetRef": ref(flow.to)}
        if flow.label is not None:
            attrs["name"] = str(flow.label)
        ET.SubElement(process, _q("bpmn", "sequenceFlow"), attrs)

    _diagram(defs, lf, ids, slug, pool_id, lane_xml_id, step_xml_id, first_of, flow_ids)
    ET.indent(defs, space="  ")
    return ET.tostring(defs, encoding="utf-8", xml_declaration=True) + b"\n"


def _diagram(defs: ET.Element, lf: CrossFunctionalMap, ids: _Ids, slug: str, pool_id: str,
             lane_xml_id: dict[int, str], step_xml_id: dict[int, str], first_of: dict[str, int],
             flow_ids: list[str]) -> None:
    geo = layout(lf)
    labels = label_boxes(lf, geo)
    diagram = ET.SubElement(defs, _q("bpmndi", "BPMNDiagram"),
                            id=ids.take(f"BPMNDiagram_{slug}", "BPMNDiagram"))
    plane = ET.SubElement(diagram, _q("bpmndi", "BPMNPlane"),
                          {"id": ids.take(f"BPMNPlane_{slug}", "BPMNPlane"),
                           "bpmnElement": defs[0].get("id", "")})
    pool = ET.SubElement(plane, _q("bpmndi", "BPMNShape"),
                         id=f"{pool_id}_di", bpmnElement=pool_id, isHorizontal="true")
    _bounds(pool, geo.pool)
    for i, box in geo.lanes.items():
        shape = ET.SubElement(plane, _q("bpmndi", "BPMNShape"), id=f"{lane_xml_id[i]}_di",
                              bpmnElement=lane_xml_id[i], isHorizontal="true")
        _bounds(shape, box)
    for i, box in geo.steps.items():
        attrs = {"id": f"{step_xml_id[i]}_di", "bpmnElement": step_xml_id[i]}
        if lf.steps[i].type == "decision":
            attrs["isMarkerVisible"] = "true"
        shape = ET.SubElement(plane, _q("bpmndi", "BPMNShape"), attrs)
        _bounds(shape, box)
    for n, (flow, flow_id) in enumerate(zip(lf.flows, flow_ids, strict=True)):
        if flow.from_ not in first_of or flow.to not in first_of:
            continue  # no shape to attach a dangling flow to
        points = waypoints(geo.steps[first_of[flow.from_]], geo.steps[first_of[flow.to]])
        edge = ET.SubElement(plane, _q("bpmndi", "BPMNEdge"), id=f"{flow_id}_di",
                             bpmnElement=flow_id)
        for x, y in points:
            ET.SubElement(edge, _q("di", "waypoint"), x=_n(x), y=_n(y))
        if n in labels:
            _bounds(ET.SubElement(edge, _q("bpmndi", "BPMNLabel")), labels[n])
