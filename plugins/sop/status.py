"""Where each OPD stands (`probis status`, report section "status"): maps per level, draft /
final / adopted / evaluated in the last 12 months, share of lowest-level processes with an SOP
or a cross-functional map, and the OPDs of the SOTK in force with no map at all, ranked so a
Kabag Organisasi sees whom to call first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from probis.engine.verdict import unread_maps
from probis.engine.workspace import Workspace

from .index import KIND

EVALUATION_WINDOW = dt.timedelta(days=365)


def _opds(ws: Workspace) -> list[str]:
    """Top-level units of the SOTK in force (a Bagian of the Setda counts on its own)."""
    return [u.id for u in ws.sotk.units if ws.opd_of(u.id) == u.id] if ws.sotk else []


def _mapped(row: dict[str, Any]) -> bool:
    """Some of the unit's work is mapped: a map of its own, or a process it owns in another
    unit's map (every owned process ends in a lowest-level one, counted in ``lowest``)."""
    return row["maps"] > 0 or row["lowest"] > 0


def status_section(ws: Workspace, as_of: dt.date) -> dict[str, Any]:
    opds = _opds(ws)
    rows: dict[str, dict[str, Any]] = {}

    def row(unit: str) -> dict[str, Any]:
        if unit not in rows:
            rows[unit] = {"unit": unit, "name": ws.unit_name(unit), "in_sotk": unit in opds,
                          "maps_by_level": {}, "maps": 0, "draft": 0, "final": 0,
                          "adopted": 0, "evaluated_12m": 0, "lf_maps": 0, "lowest": 0,
                          "lowest_covered": 0}
        return rows[unit]

    for unit in opds:
        row(unit)
    for entry in ws.maps:
        m = entry.map
        unit = ws.map_unit(m)
        if unit is None:
            continue
        r = row(unit)
        level = str(m.level)
        r["maps_by_level"][level] = r["maps_by_level"].get(level, 0) + 1
        r["maps"] += 1
        if m.status in ("draft", "final"):
            r[m.status] += 1
        if m.adopted is not None and (m.adopted.date or m.adopted.number):
            r["adopted"] += 1
        if m.last_evaluated and as_of - EVALUATION_WINDOW <= m.last_evaluated <= as_of:
            r["evaluated_12m"] += 1
    for lf in ws.lf_maps:
        holders = ws.processes_by_code.get(lf.lf.process)
        unit = ws.process_unit(holders[0]) if holders else ws.opd_of(lf.lf.unit)
        if unit is not None:
            row(unit)["lf_maps"] += 1
    sop_processes = {doc.model.process for doc in ws.extra.get(KIND, []) if doc.model.process}
    seen: set[tuple[str, str]] = set()
    # (the workspace's lookups bound once: this runs for every process of the workspace)
    maps_by_code, lf_by_process = ws.maps_by_code, ws.lf_by_process
    for pe, unit in zip(ws.processes, ws.process_units(ws.processes), strict=True):
        process = pe.process
        code = process.code
        if code in maps_by_code or unit is None or (unit, code) in seen:
            continue
        seen.add((unit, code))
        r = rows[unit] if unit in rows else row(unit)
        r["lowest"] += 1
        if process.sop or code in lf_by_process or code in sop_processes:
            r["lowest_covered"] += 1
    # a map file that could not be read is not "no map": the OPD is marked with its files
    # (only when there were input errors: a clean workspace's section keeps its shape)
    unread = unread_maps(ws, ws.input_errors) if ws.input_errors else None
    if unread is not None:
        for unit in unread.by_unit:
            row(unit)
        for r in rows.values():
            r["unread_maps"] = unread.by_unit.get(r["unit"], [])
    for r in rows.values():
        r["share_percent"] = (round(100.0 * r["lowest_covered"] / r["lowest"], 1)
                              if r["lowest"] else None)
        r["maps_by_level"] = dict(sorted(r["maps_by_level"].items()))
    # who to call first: none of its work mapped (no map of its own and no process in another
    # unit's map, as a Bagian's in the Setda's), then the lowest share of processes with an SOP
    # or a cross-functional map, then the fewest adopted maps
    ranked = sorted(rows.values(), key=lambda r: (
        _mapped(r), r["share_percent"] if r["share_percent"] is not None else -1.0,
        r["adopted"], r["unit"]))
    for rank, r in enumerate(ranked, start=1):
        r["rank"] = rank
    section: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "sotk": ws.sotk.id if ws.sotk else None,
        "opds": ranked,
        "no_map": [r["unit"] for r in ranked
                   if r["in_sotk"] and not _mapped(r) and not r.get("unread_maps")],
        "labels": LABELS,  # names of the keys for renderers without this plugin's own
    }
    if unread is not None:
        section["labels"] = {**LABELS, **ERROR_LABELS}
        section["input_errors"] = {
            "count": len(ws.input_errors),
            "files": sorted({e.file for e in ws.input_errors}),
            "unread_maps": unread.files,
            "unread_maps_unknown_unit": unread.unknown,
        }
    return section


LABELS: dict[str, dict[str, str]] = {
    "as_of": {"id": "Per tanggal", "en": "As of"},
    "sotk": {"id": "SOTK", "en": "SOTK"},
    "opds": {"id": "Kemajuan peta per OPD", "en": "Map progress per OPD"},
    "no_map": {"id": "OPD dalam SOTK tanpa peta", "en": "OPDs of the SOTK with no map"},
    "unit": {"id": "Kode OPD", "en": "OPD id"},
    "name": {"id": "OPD", "en": "OPD"},
    "in_sotk": {"id": "Dalam SOTK", "en": "In the SOTK"},
    "maps_by_level": {"id": "Peta per level", "en": "Maps per level"},
    "maps": {"id": "Peta", "en": "Maps"},
    "draft": {"id": "Draf", "en": "Draft"},
    "final": {"id": "Final", "en": "Final"},
    "adopted": {"id": "Ditetapkan", "en": "Adopted"},
    "evaluated_12m": {"id": "Dievaluasi 12 bln", "en": "Evaluated 12 mo"},
    "lf_maps": {"id": "Peta LF", "en": "LF maps"},
    "lowest": {"id": "Proses terendah", "en": "Lowest processes"},
    "lowest_covered": {"id": "Ber-SOP/LF", "en": "With SOP/LF"},
    "share_percent": {"id": "Persen ber-SOP/LF", "en": "Share with SOP/LF (%)"},
    "rank": {"id": "Urutan", "en": "Rank"},
}
# the keys a section has only when the workspace had input errors
ERROR_LABELS: dict[str, dict[str, str]] = {
    "unread_maps": {"id": "Berkas peta tidak terbaca", "en": "Unread map files"},
    "input_errors": {"id": "Galat input", "en": "Input errors"},
}
