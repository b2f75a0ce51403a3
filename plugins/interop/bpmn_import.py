"""BPMN 2.0 -> peta-lintas-fungsi documents (the mapping is documented in docs/bpmn.md).

One BPMN file gives one document for its processes (all pools merged, because a
cross-functional map shows every party in one picture) and one more document for every
expanded sub-process, transaction and event sub-process (a *scope*, as bpmnlint calls it):
its inner steps form their own flow, checked on their own. Step, lane and flow ids are the
BPMN ids, so findings point at BPMN elements; ``__line__`` is the XML line of the element.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from probis.engine.i18n import Text, pick, run_lang, say, text
from probis.engine.yamlload import READER_FIELDS_KEY, ParseError

from .xmltree import Node

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
# probis extension attributes written by the exporter, so a round trip keeps what BPMN lacks
PROBIS_NS = "https://probis.dev/schema/bpmn"

# the fields format.md allows and the core ignores that the import adds (docs/format-extensions.md)
IMPORTER_FIELDS = ("source", "steps.note", "flows.id", "flows.message")

TASKS = {"task", "userTask", "serviceTask", "sendTask", "receiveTask", "manualTask",
         "businessRuleTask", "scriptTask", "callActivity"}
SCOPES = {"subProcess", "transaction"}  # expanded: own document; adHocSubProcess is not a scope
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
            "parallelGateway"}
INTERMEDIATE = {"intermediateCatchEvent", "intermediateThrowEvent"}
# the notes an imported step carries, in the language of the run that imports it
EVENT_DEFINITIONS: dict[str, Text] = {
    "messageEventDefinition": text("pesan", "message"),
    "timerEventDefinition": text("waktu", "timer"),
    "signalEventDefinition": text("sinyal", "signal"),
    "errorEventDefinition": text("galat", "error"),
    "escalationEventDefinition": text("eskalasi", "escalation"),
    "conditionalEventDefinition": text("kondisi", "conditional"),
    "linkEventDefinition": text("tautan", "link"),
    "compensateEventDefinition": text("kompensasi", "compensation"),
    "terminateEventDefinition": text("penghentian", "terminate"),
    "cancelEventDefinition": text("batal", "cancel"),
}
GATEWAY_NOTES: dict[str, Text] = {
    "inclusiveGateway": text("gerbang inklusif (OR): satu atau lebih cabang dapat dijalankan",
                             "inclusive gateway (OR): one or more branches may run"),
    "eventBasedGateway": text("gerbang berbasis peristiwa: cabang dipilih oleh peristiwa yang "
                              "terjadi lebih dulu",
                              "event-based gateway: the first event to occur picks the branch"),
    "complexGateway": text("gerbang kompleks: aturan pemilihan cabang ada di model BPMN",
                           "complex gateway: the branching rule is in the BPMN model"),
    "parallelGateway": text("gerbang paralel (AND): semua cabang dijalankan bersamaan",
                            "parallel gateway (AND): all branches run together"),
}
EVENT_ROLES: dict[str, Text] = {
    "intermediateCatchEvent": text("peristiwa antara (menunggu)", "intermediate catch event"),
    "intermediateThrowEvent": text("peristiwa antara (mengirim)", "intermediate throw event"),
    "boundaryEvent": text("peristiwa batas", "boundary event"),
}
_SPACE = re.compile(r"\s+")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None


@dataclass
class Link:
    """What ties a BPMN file to the workspace: process code, unit, lane -> unit."""

    process: str
    unit: str | None = None
    lanes: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Scope:
    element: Node  # process (the first one for the merged main scope) or sub-process
    code: str
    nodes: list[Node] = field(default_factory=list)
    flows: list[Node] = field(default_factory=list)
    parent_lane: str | None = None


def _bpmn(node: Node, *tags: str) -> bool:
    return node.ns == BPMN_NS and node.tag in tags


def import_bpmn(root: Node, link: Link, file_name: str,
                lang: str | None = None) -> list[dict[str, Any]]:
    """The peta-lintas-fungsi documents of one parsed BPMN file; the notes it adds to steps
    are in ``lang`` (default: the run's language)."""
    lang = lang or run_lang()
    if not _bpmn(root, "definitions"):
        raise ParseError(root.line, None, text(
            f"bukan berkas BPMN 2.0: elemen akar `{root.tag}` (namespace `{root.ns}`), "
            f"seharusnya `definitions` dari {BPMN_NS}",
            f"not a BPMN 2.0 file: root element `{root.tag}` (namespace `{root.ns}`), "
            f"expected `definitions` of {BPMN_NS}"))
    processes = [c for c in root.children if _bpmn(c, "process")]
    participants = [p for c in root.children if _bpmn(c, "collaboration")
                    for p in c.children if _bpmn(p, "participant")]
    message_flows = [m for c in root.children if _bpmn(c, "collaboration")
                     for m in c.children if _bpmn(m, "messageFlow")]
    if not processes and not participants:
        raise ParseError(root.line, None, text(
            "berkas BPMN tidak berisi proses (process) maupun kolaborasi; tidak ada yang diimpor",
            "the BPMN file holds no process and no collaboration; nothing to import"))

    lanes, lane_of = _lanes(processes, participants, link)
    main = _Scope(processes[0] if processes else root, link.process)
    scopes = [main]
    for process in processes:
        _collect(process, main, scopes, lane_of, link.process)
    docs = [_document(scope, lanes, lane_of, link, file_name, scope is main,
                      message_flows if scope is main else [], lang)
            for scope in scopes]
    return docs


def _lanes(processes: list[Node], participants: list[Node],
           link: Link) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Leaf lanes (nested lane sets flattened) and pools; the lane of each flow node id."""
    lanes: list[dict[str, Any]] = []
    lane_of: dict[str, str] = {}
    by_process = {p.get("processRef"): p for p in participants if p.get("processRef")}
    for process in processes:
        pool = by_process.get(process.get("id"))
        leaves = [n for n in process.iter(BPMN_NS, "lane")
                  if not any(_bpmn(c, "childLaneSet") and any(_bpmn(g, "lane") for g in c.children)
                              for c in n.children)]
        for lane in leaves:
            lanes.append(_lane(lane, link))
            for ref in lane.children:
                if _bpmn(ref, "flowNodeRef") and ref.text.strip():
                    lane_of.setdefault(ref.text.strip(), lanes[-1]["id"])
        if pool is not None and pool.get("lane", PROBIS_NS) != "false":
            unlaned = [n.get("id") for n in process.children if n.get("id") not in lane_of
                       and n.tag not in ("laneSet", "sequenceFlow")]
            if not leaves or unlaned:
                lanes.append(_lane(pool, link))
                for node_id in unlaned:
                    if node_id:
                        lane_of[node_id] = lanes[-1]["id"]
    for pool in participants:
        if not pool.get("processRef"):
            # a black-box pool (no process inside) is an outside party, e.g. the applicant
            lane = _lane(pool, link)
            lane.setdefault("external", True)
            lanes.append(lane)
    return lanes, lane_of


def _lane(node: Node, link: Link) -> dict[str, Any]:
    lane_id = node.get("id", PROBIS_NS) or node.get("id") or ""
    lane: dict[str, Any] = {"id": lane_id, "__line__": node.line}
    name = _clean(node.get("name"))
    if name:
        lane["name"] = name
    if node.get("unit", PROBIS_NS):
        lane["unit"] = node.get("unit", PROBIS_NS)
    if node.get("external", PROBIS_NS) == "true":
        lane["external"] = True
    mapped = link.lanes.get(lane_id) or (link.lanes.get(name) if name else None) or {}
    lane.update({k: v for k, v in mapped.items() if k in ("unit", "external", "name")})
    return lane


def _collect(container: Node, scope: _Scope, scopes: list[_Scope], lane_of: dict[str, str],
             code: str) -> None:
    for node in container.children:
        if node.ns != BPMN_NS:
            continue
        if node.tag == "sequenceFlow":
            scope.flows.append(node)
            continue
        if node.tag in SCOPES:
            child = _Scope(node, f"{code}/{node.get('id')}",
                           parent_lane=lane_of.get(node.get("id") or "") or scope.parent_lane)
            scopes.append(child)
            _collect(node, child, scopes, lane_of, code)
            if node.get("triggeredByEvent") == "true":
                continue  # an event sub-process is not on the parent's flow
        scope.nodes.append(node)


def _events(node: Node) -> list[str]:
    return [c.tag for c in node.children if c.ns == BPMN_NS and c.tag in EVENT_DEFINITIONS]


def _document(scope: _Scope, lanes: list[dict[str, Any]], lane_of: dict[str, str], link: Link,
              file_name: str, is_main: bool, message_flows: list[Node],
              lang: str = "id") -> dict[str, Any]:
    flows = scope.flows
    outgoing: dict[str, list[Node]] = defaultdict(list)
    incoming: dict[str, list[Node]] = defaultdict(list)
    for f in flows:
        outgoing[f.get("sourceRef") or ""].append(f)
        incoming[f.get("targetRef") or ""].append(f)

    # the exporter keeps a probis id that is not a valid XML id in probis:id
    ids = {n.get("id") or "": n.get("id", PROBIS_NS) for n in scope.nodes
           if n.get("id", PROBIS_NS)}
    defaults = {n.get("default") for n in scope.nodes if n.get("default")}
    steps: list[dict[str, Any]] = []
    skipped: set[str] = set()
    joins: dict[str, Node] = {}  # gateway id -> its one outgoing flow (a pure join is dropped)
    links_thrown: dict[str, list[str]] = defaultdict(list)
    links_caught: dict[str, list[str]] = defaultdict(list)
    boundary_flows: list[dict[str, Any]] = []
    for node in scope.nodes:
        node_id = node.get("id") or ""
        tag = node.tag
        events = _events(node)
        step: dict[str, Any] = {"id": ids.get(node_id, node_id), "__line__": node.line}
        notes: list[str] = []
        if node.get("isForCompensation") == "true" or (
                tag == "boundaryEvent" and "compensateEventDefinition" in events):
            skipped.add(node_id)  # compensation is outside the normal flow (docs/bpmn.md)
            continue
        if tag == "startEvent":
            step["type"] = "start"
        elif tag == "endEvent":
            step["type"] = "end"
        elif tag in TASKS or tag in SCOPES or tag == "adHocSubProcess":
            step["type"] = "task"
            if tag in SCOPES:
                notes.append(say(f"sub-proses; rinciannya di peta {link.process}/{node_id}",
                                 f"sub-process; detailed in map {link.process}/{node_id}",
                                 lang))
            elif tag == "adHocSubProcess":
                inner = [n.get("name") or n.get("id") for n in node.children
                         if n.ns == BPMN_NS and (n.tag in TASKS or n.tag in SCOPES)]
                notes.append(say("sub-proses ad hoc (tanpa urutan)", "ad-hoc sub-process (no "
                                 "order)", lang) + ": " + "; ".join(str(i) for i in inner))
            elif tag == "callActivity":
                notes.append(say("memanggil", "calls", lang)
                             + f": {node.get('calledElement') or '?'}")
        elif tag in GATEWAYS:
            n_in, n_out = len(incoming[node_id]), len(outgoing[node_id])
            if n_out == 1 and n_in >= 2:
                joins[node_id] = outgoing[node_id][0]  # a merge: arrows simply meet
                continue
            if tag == "parallelGateway" and n_out >= 2:
                step["type"] = "task"
            else:
                step["type"] = "decision"
            if tag in GATEWAY_NOTES:
                notes.append(pick(GATEWAY_NOTES[tag], lang))
        elif tag in INTERMEDIATE or tag == "boundaryEvent":
            step["type"] = "task"
            kinds = (", ".join(pick(EVENT_DEFINITIONS[e], lang) for e in events)
                     or say("polos", "none", lang))
            role = pick(EVENT_ROLES[tag], lang)
            notes.append(f"{role}: {kinds}")
            if "linkEventDefinition" in events:
                definition = next(c for c in node.children if c.tag == "linkEventDefinition")
                # links pair by the definition's name (BPMN 2.0 §10.5.5), even an empty one
                link_name = definition.get("name")
                if link_name is None:
                    link_name = node.get("name") or ""
                link_name = _SPACE.sub(" ", link_name).strip()
                target = links_thrown if tag == "intermediateThrowEvent" else links_caught
                target[link_name].append(node_id)
            if tag == "boundaryEvent":
                attached = node.get("attachedToRef") or ""
                boundary_flows.append({"from": attached, "to": node_id,
                                       "label": _clean(node.get("name")) or kinds,
                                       "__line__": node.line})
                lane = lane_of.get(attached)
                if lane and node_id not in lane_of:
                    lane_of[node_id] = lane
        else:
            continue  # data objects, annotations, ... are not steps
        if tag in ("startEvent", "endEvent") and events:
            notes.append(say("peristiwa", "event", lang) + ": "
                         + ", ".join(pick(EVENT_DEFINITIONS[e], lang) for e in events))
        name = _clean(node.get("name"))
        if name:
            step["name"] = name
        lane = lane_of.get(node_id) or node.get("lane", PROBIS_NS) or scope.parent_lane
        if lane:
            step["lane"] = lane
        for attr in ("time", "output"):
            value = node.get(attr, PROBIS_NS)
            if value is not None:
                step[attr] = value
        if notes:
            step["note"] = " | ".join(notes)
        steps.append(step)

    out_flows = [f for f in (_flow(f, joins, skipped, defaults) for f in flows) if f is not None]
    for thrown_name, throws in sorted(links_thrown.items()):
        for throw in throws:
            for catch in links_caught.get(thrown_name, []):
                out_flows.append({"from": throw, "to": catch,
                                  "label": f"link {thrown_name}".strip()})
    out_flows.extend(boundary_flows)
    for f in out_flows:
        f["from"], f["to"] = ids.get(f["from"], f["from"]), ids.get(f["to"], f["to"])
    step_ids = {s["id"] for s in steps}
    for m in message_flows:
        source, target = m.get("sourceRef"), m.get("targetRef")
        if source in step_ids and target in step_ids:
            flow = {"id": m.get("id"), "from": source, "to": target, "message": True,
                    "__line__": m.line}
            if _clean(m.get("name")):
                flow["label"] = _clean(m.get("name"))
            out_flows.append(flow)

    used_lanes = {s.get("lane") for s in steps}
    doc_lanes = lanes if is_main else [ln for ln in lanes if ln["id"] in used_lanes]
    element = scope.element
    doc: dict[str, Any] = {"kind": "peta-lintas-fungsi", "process": scope.code,
                           "__line__": element.line}
    if link.unit:
        doc["unit"] = link.unit
    doc["source"] = {"bpmn": file_name, "element": element.get("id")}
    doc["lanes"] = [dict(ln) for ln in doc_lanes]
    doc["steps"] = steps
    doc["flows"] = [{k: v for k, v in f.items() if v is not None} for f in out_flows]
    doc[READER_FIELDS_KEY] = IMPORTER_FIELDS  # not unknown fields: the importer wrote them
    return doc


def _flow(flow: Node, joins: dict[str, Node], skipped: set[str],
          defaults: set[str | None]) -> dict[str, Any] | None:
    source, target = flow.get("sourceRef") or "", flow.get("targetRef") or ""
    if source in skipped or target in skipped or source in joins:
        return None  # the join's own outgoing flow is folded into its incoming ones
    label = _label(flow) or ("default" if flow.get("id") in defaults else None)
    seen: set[str] = set()
    while target in joins and target not in seen:  # follow chains of merges
        seen.add(target)
        after = joins[target]
        label = label or _label(after) or ("default" if after.get("id") in defaults else None)
        target = after.get("targetRef") or ""
    out: dict[str, Any] = {"id": flow.get("id"), "from": source, "to": target, "label": label,
                           "__line__": flow.line}
    return out


def _label(flow: Node) -> str | None:
    name = _clean(flow.get("name"))
    if name:
        return name
    for child in flow.children:
        if child.ns == BPMN_NS and child.tag == "conditionExpression":
            return _clean(child.text)
    return None
