"""Drawings of a unit's maps for the report: every peta proses as a tree of its levels (a
value chain for level 0) and every peta lintas fungsi as a swimlane diagram, each element that
carries a finding marked and linked to it (``#finding-<fingerprint>``).

The SVG is inline (no external references), its ids prefixed by the map code, every name
from the files escaped; the same workspace and report give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .marks import FindingIndex
from .swimlane import draw_swimlane
from .text import label
from .tree import draw_process_map

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["MapDrawing", "draw_unit_maps"]


@dataclass(frozen=True)
class MapDrawing:
    code: str  # the map's code (a peta lintas fungsi: the code of the process it details)
    title: str
    kind: Literal["lintas_fungsi", "proses"]
    svg: str  # an inline <svg> element


def draw_unit_maps(workspace: Workspace, report: dict[str, Any], unit: str | None,
                   lang: str) -> list[MapDrawing]:
    """The drawings of every map scored against OPD ``unit`` (all maps when None), process
    maps first (by level, then code), then cross-functional maps (by process code); the
    findings marked are the report's open ones (``report["findings"]``)."""
    ws = workspace
    findings = FindingIndex(report.get("findings") or [])
    details = _details(ws, lang)
    out: list[MapDrawing] = []
    for entry in sorted(ws.maps, key=lambda e: (e.map.level, e.map.code, e.file)):
        m = entry.map
        if unit is not None and ws.map_unit(m) != unit:
            continue
        what = (label("value_chain", lang) if m.level == 0
                else f"{label('process_map', lang)} {m.level}")
        title = f"{what}: {m.code}" + (f" — {m.title}" if m.title else "")
        out.append(MapDrawing(m.code, title, "proses",
                              draw_process_map(m, entry.file, findings, lang, title, details)))
    for lf_entry in sorted(ws.lf_maps, key=lambda e: (e.lf.process, e.file)):
        lf = lf_entry.lf
        if unit is not None and ws.ref_lf(lf_entry).unit != unit:
            continue
        holders = ws.processes_by_code.get(lf.process)
        name = holders[0].process.name if holders else None
        title = f"{label('map', lang)}: {lf.process}" + (f" — {name}" if name else "")
        out.append(MapDrawing(lf.process, title, "lintas_fungsi",
                              draw_swimlane(lf, lf_entry.file, findings, lang,
                                            ws.unit_name, title)))
    return out


def _details(ws: Workspace, lang: str) -> dict[str, str]:
    """Process code -> the lower-level map or cross-functional map that details it."""
    out: dict[str, list[str]] = {}
    for entry in ws.maps:
        if entry.map.code in ws.processes_by_code:
            out.setdefault(entry.map.code, []).append(entry.map.code)
    for lf_entry in ws.lf_maps:
        code = lf_entry.lf.process
        out.setdefault(code, []).append(f"{code} ({label('lf_short', lang)})")
    return {code: ", ".join(sorted(set(v))) for code, v in out.items()}
