"""Facts: the flat records that rule files' conditions are evaluated against.

One fact per element, with the fields a condition may read. Fields whose value is unknown are
left out (so ``$nex`` means "missing"); counts are integers, flags are true/false, text is
text, never mixed (durable-rules compares across types, see conditions.py).
Each fact carries ``t`` (its kind) and ``n`` (its index, mapping a match back to its
``ElementRef``). ``CORE_FACT_KINDS`` declares every field with its type; rule files are
checked against it at load and docs/facts.md is generated from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from .findings import ElementRef
from .workspace import LfEntry, MapEntry, ProcessEntry, Workspace

Fact = dict[str, Any]

# Every field of every core fact kind as (type, description); type is text, integer, number
# or boolean. Rule files are checked against this at load (engine/factkinds.py), and
# docs/facts.md is generated from it (python -m probis.engine.docs docs/rules).
CORE_FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "process": {
        "code": ("text", "process code"),
        "name": ("text", "process name (absent when not written)"),
        "category": ("text", "category as written (absent when not written)"),
        "owner": ("text", "owner unit id when exactly one is written"),
        "owner_count": ("integer", "number of owners written (0, 1, or more for a list)"),
        "inputs_count": ("integer", "number of inputs"),
        "outputs_count": ("integer", "number of outputs"),
        "suppliers_count": ("integer", "number of suppliers"),
        "customers_count": ("integer", "number of customers"),
        "supports_count": ("integer", "number of sasaran ids in supports"),
        "sop_count": ("integer", "number of SOP ids"),
        "has_lf_map": ("boolean", "a cross-functional map details it"),
        "decomposed": ("boolean", "a map of the next level decomposes it"),
        "map_code": ("text", "code of the map holding it"),
        "map_level": ("integer", "level of that map"),
        "map_final": ("boolean", "the holding map has status final"),
    },
    "map": {
        "code": ("text", "map code"),
        "title": ("text", "title (absent when not written)"),
        "level": ("integer", "level"),
        "status": ("text", "status as written"),
        "final": ("boolean", "status is final"),
        "process_count": ("integer", "number of processes"),
        "has_parent": ("boolean", "a parent is written"),
        "adopted": ("boolean", "an adopted block is written"),
        "adopted_instrument": ("boolean", "instrument written"),
        "adopted_number": ("boolean", "number written"),
        "adopted_date": ("boolean", "date written"),
        "adopted_signatory": ("boolean", "signatory written"),
        "adopted_missing": ("text", "adoption fields not written, comma-separated "
                                    "('' when complete)"),
        "adopted_missing_count": ("integer", "number of adoption fields not written (0 to 4)"),
        "has_last_evaluated": ("boolean", "last_evaluated written"),
        "last_evaluated": ("text", "last_evaluated as YYYY-MM-DD (absent when not written)"),
        "evaluated_days_ago": ("integer", "days from last_evaluated to the audit date "
                                          "(absent when unknown)"),
    },
    "lf-map": {
        "process": ("text", "the process code it details"),
        "lane_count": ("integer", "number of lanes"),
        "internal_lane_count": ("integer", "lanes that name a unit"),
        "step_count": ("integer", "number of steps"),
        "start_count": ("integer", "start steps"),
        "end_count": ("integer", "end steps"),
        "flow_count": ("integer", "flows"),
    },
    "lane": {
        "lane_id": ("text", "lane id"),
        "external": ("boolean", "marked external"),
        "has_unit": ("boolean", "names a unit"),
        "lf_process": ("text", "process of the cross-functional map"),
    },
    "step": {
        "step_id": ("text", "step id"),
        "name": ("text", "step name (absent when not written)"),
        "type": ("text", "start | end | task | decision"),
        "has_lane": ("boolean", "a lane is written"),
        "lane_known": ("boolean", "the lane exists in the map"),
        "lf_process": ("text", "process of the cross-functional map"),
    },
    "unit": {
        "unit_id": ("text", "unit id"),
        "name": ("text", "unit name (absent when not written)"),
        "type": ("text", "unit type (absent when not written)"),
        "has_parent": ("boolean", "parent written"),
        "functions_count": ("integer", "number of functions"),
    },
    "indicator": {
        "indicator_id": ("text", "indicator id"),
        "text": ("text", "indicator text (absent when not written)"),
        "has_satuan": ("boolean", "satuan written"),
        "has_final_target": ("boolean", "a target for the plan's final year"),
        "final_year": ("integer", "the plan's final year (absent when unknown)"),
        "source": ("text", "rpjmd | renstra"),
    },
}

# The document fields each core fact field is read from, relative to its element (a process's
# own keys, a map's own), where that is not the field of the same name; () for a field read
# from other documents. A finding of a rule file names only the ignored values (input errors)
# that the fields of its case were read from (engine/report.py).
FACT_SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "process": {
        "owner_count": ("owner",), "inputs_count": ("inputs",), "outputs_count": ("outputs",),
        "suppliers_count": ("suppliers",), "customers_count": ("customers",),
        "supports_count": ("supports",), "sop_count": ("sop",), "has_lf_map": ("code",),
        "decomposed": ("code",), "map_code": (), "map_level": (), "map_final": (),
    },
    "map": {
        "final": ("status",), "process_count": ("processes",), "has_parent": ("parent",),
        "adopted_instrument": ("adopted.instrument",), "adopted_number": ("adopted.number",),
        "adopted_date": ("adopted.date",), "adopted_signatory": ("adopted.signatory",),
        "adopted_missing": ("adopted",), "adopted_missing_count": ("adopted",),
        "has_last_evaluated": ("last_evaluated",), "evaluated_days_ago": ("last_evaluated",),
    },
    "lf-map": {
        "lane_count": ("lanes",), "internal_lane_count": ("lanes",), "step_count": ("steps",),
        "start_count": ("steps",), "end_count": ("steps",), "flow_count": ("flows",),
    },
    "lane": {"lane_id": ("id",), "has_unit": ("unit",), "lf_process": ()},
    "step": {"step_id": ("id",), "has_lane": ("lane",), "lane_known": ("lane",),
             "lf_process": ()},
    "unit": {"unit_id": ("id",), "has_parent": ("parent",), "functions_count": ("functions",)},
    "indicator": {"indicator_id": ("id",), "has_satuan": ("satuan",),
                  "has_final_target": ("target",), "final_year": (), "source": ()},
}

# the descriptions alone, per kind (the shape this public name has always had)
FACT_FIELDS: dict[str, dict[str, str]] = {
    kind: {name: spec[1] for name, spec in fields.items()}
    for kind, fields in CORE_FACT_KINDS.items()
}


# the metadata of formal adoption (Keputusan/Peraturan Wali Kota), in the order auditors read it
ADOPTION_FIELDS = ("instrument", "number", "date", "signatory")


def _put(fact: Fact, key: str, value: Any) -> None:
    if value is not None:
        fact[key] = value


def build_core_facts(ws: Workspace, as_of: dt.date) -> Iterator[tuple[Fact, ElementRef]]:
    """Facts for every element of the core format, in a stable order."""
    for entry in ws.processes:
        yield process_fact(ws, entry), ws.ref_process(entry)
    for map_entry in ws.maps:
        yield map_fact(map_entry, as_of), ws.ref_map(map_entry)
    for lf_entry in ws.lf_maps:
        yield from lf_facts(ws, lf_entry)
    yield from unit_and_plan_facts(ws)


def map_facts(ws: Workspace, map_entry: MapEntry, processes: Iterable[ProcessEntry],
              lfs: Iterable[LfEntry], as_of: dt.date) -> Iterator[tuple[Fact, ElementRef]]:
    """The facts of one process map: its processes, itself, and the cross-functional maps
    grouped under it (engine/incremental/cache.py caches rule-file results per map)."""
    for entry in processes:
        yield process_fact(ws, entry), ws.ref_process(entry)
    yield map_fact(map_entry, as_of), ws.ref_map(map_entry)
    for lf_entry in lfs:
        yield from lf_facts(ws, lf_entry)


def process_fact(ws: Workspace, entry: ProcessEntry) -> Fact:
    p, m = entry.process, entry.map
    owners = p.owners
    fact: Fact = {
        "t": "process",
        "code": p.code,
        "owner_count": len(owners),
        "inputs_count": len(p.inputs),
        "outputs_count": len(p.outputs),
        "suppliers_count": len(p.suppliers),
        "customers_count": len(p.customers),
        "supports_count": len(p.supports),
        "sop_count": len(p.sop),
        "has_lf_map": p.code in ws.lf_by_process,
        "decomposed": p.code in ws.maps_by_code,
        "map_code": m.code,
        "map_level": m.level,
        "map_final": m.status == "final",
    }
    if p.name is not None:  # (inline ``_put``: one call per process and field adds up)
        fact["name"] = p.name
    if p.category is not None:
        fact["category"] = p.category
    if len(owners) == 1:
        fact["owner"] = owners[0]
    return fact


def map_fact(map_entry: MapEntry, as_of: dt.date) -> Fact:
    m = map_entry.map
    adopted = m.adopted
    fact = {
        "t": "map",
        "code": m.code,
        "level": m.level,
        "final": m.status == "final",
        "process_count": len(m.processes),
        "has_parent": bool(m.parent),
        "adopted": adopted is not None,
        "adopted_instrument": bool(adopted and adopted.instrument),
        "adopted_number": bool(adopted and adopted.number),
        "adopted_date": bool(adopted and adopted.date),
        "adopted_signatory": bool(adopted and adopted.signatory),
        "has_last_evaluated": m.last_evaluated is not None,
    }
    missing = [f for f in ADOPTION_FIELDS if not fact[f"adopted_{f}"]]
    fact["adopted_missing"] = ", ".join(missing)
    fact["adopted_missing_count"] = len(missing)
    _put(fact, "status", m.status)
    _put(fact, "title", m.title)
    if m.last_evaluated is not None:
        fact["evaluated_days_ago"] = (as_of - m.last_evaluated).days
        fact["last_evaluated"] = m.last_evaluated.isoformat()
    return fact


def lf_facts(ws: Workspace, lf_entry: LfEntry) -> Iterator[tuple[Fact, ElementRef]]:
    lf = lf_entry.lf
    lane_ids = {lane.id for lane in lf.lanes}
    own = ws.ref_lf(lf_entry)
    # a lane's or step's reference is ``ws.ref_lf(lf_entry, element, kind, line)``: the
    # map's file, map and unit, looked up once here instead of once per element
    file, map_code, unit, lf_line = own.file, own.map, own.unit, own.line
    yield (
        {
            "t": "lf-map",
            "process": lf.process,
            "lane_count": len(lf.lanes),
            "internal_lane_count": sum(
                1 for lane in lf.lanes if lane.unit and not lane.external
            ),
            "step_count": len(lf.steps),
            "start_count": sum(1 for s in lf.steps if s.type == "start"),
            "end_count": sum(1 for s in lf.steps if s.type == "end"),
            "flow_count": len(lf.flows),
        },
        own,
    )
    for lane in lf.lanes:
        yield (
            {
                "t": "lane",
                "lane_id": lane.id,
                "external": bool(lane.external),
                "has_unit": bool(lane.unit),
                "lf_process": lf.process,
            },
            ElementRef(f"{lf.process}#{lane.id}", "lane", file,
                       lane.line if lane.line is not None else lf_line, map_code, unit),
        )
    for step in lf.steps:
        fact = {
            "t": "step",
            "step_id": step.id,
            "type": step.type,
            "has_lane": bool(step.lane),
            "lane_known": step.lane in lane_ids,
            "lf_process": lf.process,
        }
        _put(fact, "name", step.name)
        yield fact, ElementRef(f"{lf.process}#{step.id}", "step", file,
                               step.line if step.line is not None else lf_line, map_code, unit)


def unit_and_plan_facts(ws: Workspace) -> Iterator[tuple[Fact, ElementRef]]:
    """Facts of the SOTK in force and of the plans' indicators (no map involved)."""
    for unit in ws.sotk.units if ws.sotk else []:
        fact = {
            "t": "unit",
            "unit_id": unit.id,
            "has_parent": bool(unit.parent),
            "functions_count": len(unit.functions),
        }
        _put(fact, "type", unit.type)
        _put(fact, "name", unit.name)
        yield fact, ws.ref_unit(unit)

    final_years: dict[str, int | None] = {}
    if ws.rpjmd and ws.rpjmd.period:
        final_years[ws.rpjmd.id] = ws.rpjmd.period.end
    for ind_entry in ws.indicators.values():
        ind = ind_entry.indicator
        final_year = _final_year(ws, ind_entry.source, ind_entry.doc_id, final_years)
        fact = {
            "t": "indicator",
            "indicator_id": ind.id,
            "source": ind_entry.source,
            "has_satuan": bool(ind.satuan and str(ind.satuan).strip()),
            "has_final_target": final_year is not None and ind.target.get(final_year) is not None,
        }
        _put(fact, "text", ind.text)
        if final_year is not None:
            fact["final_year"] = final_year
        yield fact, ws.ref_indicator(ind_entry)


def _final_year(
    ws: Workspace, source: str, doc_id: str, cache: dict[str, int | None]
) -> int | None:
    """The plan's final year: the RPJMD period end; a Renstra follows the RPJMD it points at."""
    if source == "rpjmd":
        return cache.get(doc_id)
    # a Renstra's year once per Renstra, not once per indicator (kept apart from the RPJMDs')
    key = f"renstra\n{doc_id}"
    if key not in cache:
        cache[key] = _renstra_final_year(ws, doc_id)
    return cache[key]


def _renstra_final_year(ws: Workspace, doc_id: str) -> int | None:
    for renstra, _ in ws.renstras:
        if renstra.id == doc_id and renstra.rpjmd in ws.rpjmd_versions:
            rpjmd = ws.rpjmd_versions[renstra.rpjmd][0]
            return rpjmd.period.end if rpjmd.period else None
    return ws.rpjmd.period.end if ws.rpjmd and ws.rpjmd.period else None
