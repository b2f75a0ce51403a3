"""Facts over SOP documents for the plugin's rule files (kinds and fields: FACT_FIELDS)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from probis.engine.findings import ElementRef
from probis.engine.workspace import Workspace

from .index import processes_by_sop, ref_sop, sop_entries
from .model import IDENTITY_FIELDS, MUTU_FIELDS, SECTION_FIELDS, written

# the fact kinds and fields sop_facts yields, as (type, description): declared to probis with
# probis_register_fact_kinds, which checks the rule files against them and lists them in
# probis' docs/facts.md
# [snippet:kinds]
FACT_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "contoh-sop": {
        "sop_id": ("text", "SOP id"),
        "name": ("text", "SOP name (absent when not written)"),
        "identity_missing": ("text", "identity fields not written, comma-separated"),
        "identity_missing_count": ("integer", "how many identity fields are not written"),
        "sections_missing": ("text", "header sections not written, comma-separated"),
        "sections_missing_count": ("integer", "how many header sections are not written"),
        "step_count": ("integer", "number of steps"),
        "start_count": ("integer", "start terminators"),
        "end_count": ("integer", "end terminators"),
        "first_type": ("text", "type of the first step"),
        "last_type": ("text", "type of the last step"),
        "linked": ("boolean", "a process lists this SOP"),
    },
    "contoh-sop-step": {
        "sop_id": ("text", "SOP id"),
        "step_id": ("text", "step id"),
        "type": ("text", "start | end | task | decision"),
        "activity": ("text", "activity (absent when not written)"),
        "has_executor": ("boolean", "executor written"),
        "mutu_missing": ("text", "mutu baku parts not written, comma-separated"),
        "mutu_missing_count": ("integer", "how many mutu baku parts are not written"),
        "branch_count": ("integer", "distinct existing steps named by `ya` and `tidak`"),
    },
}
# [/snippet]


def _missing(obj: Any, names: tuple[str, ...]) -> list[str]:
    return [n for n in names if obj is None or not written(getattr(obj, n))]


# [snippet:facts]
def sop_facts(ws: Workspace) -> Iterator[tuple[dict[str, Any], ElementRef]]:
    linked = processes_by_sop(ws)
    for entry in sop_entries(ws):
        sop = entry.sop
        identity = _missing(sop, IDENTITY_FIELDS)
        sections = _missing(sop, SECTION_FIELDS)
        fact: dict[str, Any] = {
            "t": "contoh-sop", "sop_id": sop.id,
            "identity_missing": ", ".join(identity), "identity_missing_count": len(identity),
            "sections_missing": ", ".join(sections), "sections_missing_count": len(sections),
            "step_count": len(sop.steps),
            "start_count": sum(1 for s in sop.steps if s.type == "start"),
            "end_count": sum(1 for s in sop.steps if s.type == "end"),
            "linked": sop.id in linked,
        }
        if sop.name:
            fact["name"] = sop.name
        if sop.steps:
            fact["first_type"], fact["last_type"] = sop.steps[0].type, sop.steps[-1].type
        yield fact, ref_sop(ws, entry, linked)
        step_ids = {s.id for s in sop.steps}
        for step in sop.steps:
            mutu = _missing(step.mutu_baku, MUTU_FIELDS)
            step_fact: dict[str, Any] = {
                "t": "contoh-sop-step", "sop_id": sop.id, "step_id": step.id, "type": step.type,
                "has_executor": written(step.executor),
                "mutu_missing": ", ".join(mutu), "mutu_missing_count": len(mutu),
                "branch_count": len({b for b in (step.ya, step.tidak) if b in step_ids}),
            }
            if step.activity:
                step_fact["activity"] = step.activity
            yield step_fact, ref_sop(ws, entry, linked, step)
# [/snippet]
