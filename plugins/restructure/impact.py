"""Impact of a restructuring: events -> fired triggers -> affected maps, with proposals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from probis.engine.workspace import Workspace

from .events import Event, declared_events, number, rpjmd_events, sotk_events
from .history import history_of
from .triggers import Hit, Trigger, all_triggers, fire, hits_for, reason_of


@dataclass
class Affected:
    """One affected process map or cross-functional map."""

    code: str
    kind: str  # peta-proses | peta-lintas-fungsi
    file: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)
    proposed: dict[str, list[str]] = field(default_factory=dict)  # old unit -> new unit(s)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind, "file": self.file,
                "changes": self.changes, "proposed": self.proposed, "elements": self.elements}


@dataclass
class Impact:
    events: list[Event]
    fired: list[tuple[Trigger, Event]]
    affected: list[Affected]

    @property
    def files(self) -> set[str]:
        return {a.file for a in self.affected}

    def by_unit(self) -> list[dict[str, Any]]:
        """Affected maps, processes and lanes grouped by the changed unit (or sasaran/plan)."""
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for a in self.affected:
            for ch in a.changes:
                subject = ch.get("unit") or ch.get("sasaran") or ch.get("to_version") or "-"
                g = groups.setdefault((subject, ch["event"]), {
                    "subject": subject, "event": ch["event"], "to": ch.get("to"),
                    "inferred": ch.get("inferred", False), "maps": set(), "processes": set(),
                    "lanes": set(), "proposed": set()})
                for el in a.elements:
                    if el["trigger"] != ch["trigger"] or el["event"] != ch["n"]:
                        continue
                    key = {"map": "maps", "lf-map": "maps", "process": "processes",
                           "lane": "lanes"}[el["type"]]
                    g[key].add(el["element"])
                    g["proposed"].update(el.get("proposed", []))
                if a.kind == "peta-proses":
                    g["maps"].add(a.code)
        out = []
        for key in sorted(groups):
            g = groups[key]
            out.append({k: sorted(v) if isinstance(v, set) else v for k, v in g.items()})
        return out


def collect_events(ws_before: Workspace, ws_after: Workspace) -> list[Event]:
    events = sotk_events(ws_after, ws_before.sotk, ws_after.sotk)
    events += rpjmd_events(ws_before.rpjmd, ws_after.rpjmd)
    events += declared_events(ws_after)
    return number(events)


def impact(ws_before: Workspace, ws_after: Workspace, events: list[Event] | None = None,
           triggers: list[Trigger] | None = None) -> Impact:
    """Which maps the changes from ``ws_before`` to ``ws_after`` re-open, and why.

    Elements are looked up in the maps as they are (the same files in both workspaces);
    proposals come from the SOTK history that ends at ``ws_after``'s SOTK."""
    events = collect_events(ws_before, ws_after) if events is None else events
    triggers = all_triggers(ws_after) if triggers is None else triggers
    fired = fire(triggers, events)
    hist = history_of(ws_after)
    affected: dict[str, Affected] = {}
    for trig, event in fired:
        change = {"event": event["kind"], "trigger": trig.doc.id, "n": event["n"],
                  "reason": reason_of(trig, event)}
        for key in ("unit", "to", "sasaran", "inferred", "to_version"):
            if key in event:
                change[key] = event[key]
        seen: set[Hit] = set()
        for target in trig.doc.reopen:
            for hit in hits_for(ws_before, target, event):
                if hit in seen:
                    continue
                seen.add(hit)
                a = affected.setdefault(hit.file, Affected(hit.holder, hit.holder_kind, hit.file))
                if change not in a.changes:
                    a.changes.append(change)
                element: dict[str, Any] = {"element": hit.element, "type": hit.kind,
                                           "line": hit.line, "trigger": trig.doc.id,
                                           "event": event["n"]}
                if hit.unit is not None:
                    element["unit"] = hit.unit
                    res = hist.resolve(hit.unit)
                    if res is not None:
                        element["proposed"] = res.proposed
                        a.proposed[hit.unit] = res.proposed
                a.elements.append(element)
    for a in affected.values():
        a.changes.sort(key=lambda c: (c["n"], c["trigger"]))
        a.elements.sort(key=lambda e: (e["line"] or 0, e["element"], e["trigger"], e["event"]))
        a.proposed = dict(sorted(a.proposed.items()))
    return Impact(events, fired, sorted(affected.values(), key=lambda a: (a.file, a.code)))
