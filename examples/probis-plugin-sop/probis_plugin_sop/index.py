"""Where each SOP lives and which processes point at it: shared by facts and Python rules."""

from __future__ import annotations

from dataclasses import dataclass

from probis.engine.findings import ElementRef
from probis.engine.workspace import ProcessEntry, Workspace

from .model import Sop, SopStep

KIND = "contoh-sop"


@dataclass
class SopEntry:
    sop: Sop
    file: str


def sop_entries(ws: Workspace) -> list[SopEntry]:
    """Every loaded SOP document, in the loader's (stable) order."""
    return [SopEntry(doc.model, doc.file) for doc in ws.extra.get(KIND, [])]


def processes_by_sop(ws: Workspace) -> dict[str, list[ProcessEntry]]:
    linked: dict[str, list[ProcessEntry]] = {}
    for entry in ws.processes:
        for sop_id in entry.process.sop:
            linked.setdefault(sop_id, []).append(entry)
    return linked


def ref_sop(ws: Workspace, entry: SopEntry, linked: dict[str, list[ProcessEntry]],
            step: SopStep | None = None) -> ElementRef:
    """An SOP is scored against its own unit, else the unit of the first process using it."""
    processes = linked.get(entry.sop.id, [])
    unit = ws.opd_of(entry.sop.unit) if entry.sop.unit else None
    if unit is None and processes:
        unit = ws.process_unit(processes[0])
    map_code = processes[0].map.code if processes else None
    if step is None:
        return ElementRef(element=entry.sop.id, kind="contoh-sop", file=entry.file,
                          line=entry.sop.line, map=map_code, unit=unit)
    return ElementRef(element=f"{entry.sop.id}#{step.id}", kind="contoh-sop-step", file=entry.file,
                      line=step.line, map=map_code, unit=unit)
