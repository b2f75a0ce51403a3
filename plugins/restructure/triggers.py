"""Trigger rules: data that decides which maps a change event re-opens, run by durable-rules.

A trigger is a YAML document (shipped in ``rules/triggers/``, or written by an auditor into the
workspace as ``kind: pemicu``; no Python needed)::

    kind: pemicu
    id: TRG-perwali
    when: {kind: perwali_changed}          # a condition over the event (rule-file syntax)
    reopen: [unit_references]              # what to re-open, from TARGETS below
    reason:
      id: "Perwali tugas dan fungsi {unit} berubah ({regulation})"
      en: "Perwali on the functions of {unit} changed ({regulation})"

Events are posted (not asserted) to one durable-rules ruleset built from every trigger,
through ``engine/durable_bridge.py`` (own Host, unique ruleset name, sid per run, sentinel,
worker process). What a target means is fixed Python (``TARGETS``): triggers choose among them.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from probis.engine.conditions import ConditionError, normalize
from probis.engine.durable_bridge import SENTINEL_KIND, SENTINEL_RULE, run_ruleset
from probis.engine.i18n import Text, format_text, text
from probis.engine.limits import Limits
from probis.engine.model import Model
from probis.engine.packagefiles import package_files
from probis.engine.rulefile import RuleFileError
from probis.engine.workspace import Workspace
from probis.engine.yamlload import ParseError, parse_bytes
from pydantic import ValidationError, field_validator

from .events import Event

Target = Literal["unit_references", "parent_maps", "sasaran_references", "maps_adopted_before"]
TARGETS: dict[str, str] = {
    "unit_references": "maps, processes (owner/participants), cross-functional maps and lanes "
                       "referring to the event's `unit` or a unit below it",
    "parent_maps": "maps kept by the event's `parent` unit or a unit below it",
    "sasaran_references": "processes supporting the event's `sasaran`, directly or through a "
                          "Renstra sasaran, or using one of its indicators",
    "maps_adopted_before": "maps adopted before the event's `date`",
}


class TriggerDoc(Model):
    kind: Literal["pemicu"] = "pemicu"
    id: str
    title: dict[str, str] | None = None
    when: dict[str, Any]
    reopen: list[Target]
    reason: dict[str, str]

    @field_validator("when", mode="after")
    @classmethod
    def _condition(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            return normalize(value, "when")
        except ConditionError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("reason", "title", mode="before")
    @classmethod
    def _bilingual(cls, value: Any) -> Any:
        if value is None:
            return value
        if not isinstance(value, dict) or not value.get("id") or not value.get("en"):
            raise ValueError("needs both `id` (Indonesian) and `en` (English) text")
        return {"id": str(value["id"]), "en": str(value["en"])}


@dataclass(frozen=True)
class Trigger:
    doc: TriggerDoc
    source: str  # rules/triggers/<file> or the workspace file


def shipped_triggers() -> list[Trigger]:
    folder = package_files("probis.rules").joinpath("triggers")
    out = []
    for path in sorted((p for p in folder.iterdir() if p.name.endswith((".yaml", ".yml"))),
                       key=lambda p: p.name):
        source = f"rules/triggers/{path.name}"
        try:
            data = parse_bytes(path.read_bytes(), path.name, Limits())
            out.append(Trigger(TriggerDoc.model_validate(data), source))
        except ParseError as exc:
            raise RuleFileError(source, text(f"baris {exc.line}: {exc.message['id']}",
                                             f"line {exc.line}: {exc.message['en']}")) from None
        except ValidationError as exc:
            raise RuleFileError(source, str(exc)) from None
    return out


def workspace_triggers(ws: Workspace) -> list[Trigger]:
    return [Trigger(doc.model, doc.file) for doc in ws.extra.get("pemicu", [])]


def compile_triggers(triggers: list[Trigger]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for i, trig in enumerate(triggers):
        body[f"t{i}"] = {"all": [{"m": {"$and": [{"t": "event"}, dict(trig.doc.when)]}}],
                         "run": f"{i}:0"}
    if body:
        body[SENTINEL_RULE] = {"all": [{"m": {"t": SENTINEL_KIND}}], "run": SENTINEL_RULE}
    return body


def fire(triggers: list[Trigger], events: list[Event], timeout: float | None = 600.0
         ) -> list[tuple[Trigger, Event]]:
    """Post every event to the trigger ruleset; return (trigger, event) for each match."""
    if not triggers or not events:
        return []
    matches = run_ruleset(compile_triggers(triggers), events, timeout, as_events=True)
    by_n = {e["n"]: e for e in events}
    return [(triggers[i], by_n[n]) for i, _, n in sorted(matches, key=lambda m: (m[2], m[0]))]


def reason_of(trigger: Trigger, event: Event) -> Text:
    return format_text(trigger.doc.reason, {k: v for k, v in event.items() if k not in ("t", "n")})


# --- targets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One element a trigger re-opens."""

    kind: str  # map | process | lf-map | lane
    element: str
    file: str
    line: int | None
    holder: str  # the code of the affected map, or for a cross-functional map its process
    holder_kind: str  # peta-proses | peta-lintas-fungsi
    unit: str | None  # the unit reference that made it affected (None: not about a unit)


def units_below(ws: Workspace, unit: str) -> set[str]:
    """``unit`` and every unit below it in any SOTK version (by parent, or by id prefix)."""
    found = {unit}
    versions = [s for s, _ in ws.sotk_versions.values()]
    changed = True
    while changed:
        changed = False
        for sotk in versions:
            for u in sotk.units:
                if u.id not in found and (u.parent in found or u.id.startswith(unit + ".")):
                    found.add(u.id)
                    changed = True
    return found


def unit_hits(ws: Workspace, units: set[str]) -> list[Hit]:
    """Every map, process, cross-functional map and lane that names one of ``units``, in
    workspace order (a process naming several: one hit per unit, by unit id)."""
    index = _unit_index(ws)
    found = sorted(item for uid in units for item in index.get(uid, ()))
    return [Hit(*args) for _, _, args in found]


# (position, unit id, Hit fields): a Hit is made only for the units a change asks about
_Entry = tuple[int, str, tuple[Any, ...]]
_INDEX: tuple[weakref.ref[Workspace], dict[str, list[_Entry]]] | None = None


def _unit_index(ws: Workspace) -> dict[str, list[_Entry]]:
    """Unit id -> every element naming it, built in one pass over the workspace and kept for
    the last workspace asked about (each change event and trigger asks again)."""
    global _INDEX
    if _INDEX is not None and _INDEX[0]() is ws:
        return _INDEX[1]
    index: dict[str, list[_Entry]] = {}
    seq = 0
    for entry in ws.maps:
        m = entry.map
        seq += 1
        if m.unit:
            index.setdefault(m.unit, []).append(
                (seq, m.unit, ("map", m.code, entry.file, m.line, m.code, "peta-proses", m.unit)))
        for p in m.processes:
            seq += 1
            owner = p.owner
            ids = ([] if owner is None else [owner] if isinstance(owner, str) else owner)
            for uid in set(ids).union(p.participants) if p.participants or len(ids) > 1 \
                    else ids:
                index.setdefault(uid, []).append(
                    (seq, uid, ("process", p.code, entry.file, p.line, m.code, "peta-proses",
                                uid)))
    for lf_entry in ws.lf_maps:
        lf = lf_entry.lf
        seq += 1
        if lf.unit:
            index.setdefault(lf.unit, []).append(
                (seq, lf.unit, ("lf-map", lf.process, lf_entry.file, lf.line, lf.process,
                                "peta-lintas-fungsi", lf.unit)))
        for lane in lf.lanes:
            seq += 1
            if lane.unit:
                index.setdefault(lane.unit, []).append(
                    (seq, lane.unit, ("lane", f"{lf.process}#{lane.id}", lf_entry.file,
                                      lane.line, lf.process, "peta-lintas-fungsi", lane.unit)))
    _INDEX = (weakref.ref(ws), index)
    return index


def sasaran_hits(ws: Workspace, sasaran: str) -> list[Hit]:
    via = {sasaran}
    for renstra, _ in ws.renstras:
        via.update(s.id for s in renstra.sasaran if sasaran in s.supports)
    indicators = {i for i, e in ws.indicators.items() if e.owner in via}
    hits = []
    for pe in ws.processes:
        p = pe.process
        if via & set(p.supports) or indicators & set(p.indicators):
            hits.append(Hit("process", p.code, pe.file, p.line, pe.map.code, "peta-proses", None))
    return hits


def adopted_before_hits(ws: Workspace, date: str) -> list[Hit]:
    try:
        limit = dt.date.fromisoformat(str(date))
    except ValueError:
        return []
    return [Hit("map", e.map.code, e.file, e.map.line, e.map.code, "peta-proses", None)
            for e in ws.maps
            if e.map.adopted and e.map.adopted.date and e.map.adopted.date < limit]


def hits_for(ws: Workspace, target: str, event: Event) -> list[Hit]:
    if target == "unit_references" and event.get("unit"):
        return unit_hits(ws, units_below(ws, str(event["unit"])))
    if target == "parent_maps" and event.get("parent"):
        below = units_below(ws, str(event["parent"]))
        return [h for h in unit_hits(ws, below) if h.kind in ("map", "lf-map")]
    if target == "sasaran_references" and event.get("sasaran"):
        return sasaran_hits(ws, str(event["sasaran"]))
    if target == "maps_adopted_before" and event.get("date"):
        return adopted_before_hits(ws, str(event["date"]))
    return []


def all_triggers(ws: Workspace, extra: Iterable[Trigger] = ()) -> list[Trigger]:
    return [*shipped_triggers(), *workspace_triggers(ws), *extra]
