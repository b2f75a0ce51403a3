"""Change events: what differs between two SOTK versions or two RPJMD versions, as flat dicts.

An event is a flat record (text, numbers, true/false only) because it is posted to the
durable-rules trigger ruleset (triggers.py), whose conditions read its fields:

    t         always "event"
    kind      unit_renamed | unit_merged | unit_split | unit_moved | unit_abolished |
              unit_created | unit_name_changed | rpjmd_period_changed | sasaran_removed |
              sasaran_renamed | a kind a workspace declares (e.g. perwali_changed)
    source    sotk | rpjmd | declared
    inferred  true when found by comparing versions rather than read from `changes`
    unit, to, parent, sasaran, date, from_version, to_version, ...   as the kind needs

``to`` holds the proposed unit ids joined by commas (ranked for a split).
"""

from __future__ import annotations

from typing import Any, ClassVar

from probis.engine.model import Model, Rpjmd, Sotk
from probis.engine.workspace import Workspace

from .history import UnitChange, chain_to, transition
from .plans import renamed_to

UNIT_EVENT = {"rename": "unit_renamed", "merge": "unit_merged", "split": "unit_split",
              "move": "unit_moved", "abolish": "unit_abolished", "create": "unit_created",
              "name": "unit_name_changed"}
Event = dict[str, Any]
# fields an event declaration cannot set: ours, or reserved by durable-rules (id, sid)
RESERVED = frozenset({"__line__", "t", "n", "id", "sid", "kind", "source", "event", "unit",
                      "sasaran", "file", "line"})


def _event(kind: str, source: str, **fields: Any) -> Event:
    out: Event = {"t": "event", "kind": kind, "source": source}
    out.update({k: v for k, v in fields.items() if v is not None})
    return out


def unit_event(change: UnitChange) -> Event:
    return _event(UNIT_EVENT[change.op], "sotk", unit=change.unit, to=",".join(change.targets),
                  op=change.op, inferred=change.inferred, via=change.via, parent=change.parent,
                  old_name=change.old_name, new_name=change.new_name,
                  from_version=change.from_sotk, to_version=change.to_sotk)


def sotk_changes(ws_after: Workspace, old: Sotk, new: Sotk) -> list[UnitChange]:
    """Changes from ``old`` to ``new``: along the `previous` chain when ``old`` is on it
    (each step's stated changes), else by comparing the two directly (inferred)."""
    if old is new or old.id == new.id:
        return []
    chain = chain_to(ws_after, new)
    ids = [s.id for s in chain]
    if old.id in ids:
        steps = chain[ids.index(old.id):]
        return [c for a, b in zip(steps, steps[1:], strict=False) for c in transition(a, b)]
    return transition(old, new)


def sotk_events(ws_after: Workspace, old: Sotk | None, new: Sotk | None) -> list[Event]:
    if old is None or new is None:
        return []
    return [unit_event(c) for c in sotk_changes(ws_after, old, new)]


def rpjmd_events(old: Rpjmd | None, new: Rpjmd | None) -> list[Event]:
    if old is None or new is None or old is new:
        return []
    events: list[Event] = []
    same_period = (old.period and new.period and old.period.start == new.period.start
                   and old.period.end == new.period.end)
    if new.period and not same_period:
        events.append(_event("rpjmd_period_changed", "rpjmd", from_version=old.id,
                             to_version=new.id, date=f"{new.period.start:04d}-01-01",
                             start=new.period.start, end=new.period.end,
                             old_start=old.period.start if old.period else None))
    new_by_id = {s.id: s for s in new.sasaran}
    old_ids = {s.id for s in old.sasaran}
    for s in old.sasaran:
        if s.id in new_by_id:
            after = new_by_id[s.id]
            if " ".join((s.text or "").split()) != " ".join((after.text or "").split()):
                events.append(_event("sasaran_renamed", "rpjmd", sasaran=s.id, to=s.id,
                                     text=after.text, old_text=s.text, inferred=True,
                                     from_version=old.id, to_version=new.id))
            continue
        successor = renamed_to(s.text, new, old_ids)
        if successor:
            events.append(_event("sasaran_renamed", "rpjmd", sasaran=s.id, to=successor,
                                 text=s.text, inferred=True, from_version=old.id,
                                 to_version=new.id))
        else:
            events.append(_event("sasaran_removed", "rpjmd", sasaran=s.id, text=s.text,
                                 inferred=False, from_version=old.id, to_version=new.id))
    return events


class DeclaredEvent(Model):
    """One event a workspace declares in a `peristiwa` document (kind of change not visible in
    the SOTK or plan files, e.g. a new Perwali on tugas dan fungsi)."""

    # any other field (regulation, date, ...) is the event's data for the trigger's `when`
    # and `reason`: not reported as an unknown field (engine/lenient.py unknown_fields)
    free_fields: ClassVar[bool] = True

    event: str
    unit: str | None = None
    sasaran: str | None = None


class PeristiwaDoc(Model):
    """``kind: peristiwa``: change events declared by the workspace, e.g.

    events:
      - {event: perwali_changed, unit: disdukcapil, regulation: Perwali 12/2025, date: 2025-07-01}
    """

    kind: str
    events: list[DeclaredEvent]


def declared_events(ws: Workspace) -> list[Event]:
    events: list[Event] = []
    for doc in ws.extra.get("peristiwa", []):
        for e in doc.model.events:
            fields = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                      for k, v in (e.model_extra or {}).items()
                      if k not in RESERVED
                      and (isinstance(v, str | int | float | bool) or hasattr(v, "isoformat"))}
            events.append(_event(e.event, "declared", unit=e.unit, sasaran=e.sasaran,
                                 file=doc.file, line=e.line, **fields))
    return events


def number(events: list[Event]) -> list[Event]:
    """Give each event its index ``n`` (how a trigger match maps back to its event)."""
    return [dict(e, n=i) for i, e in enumerate(events)]
