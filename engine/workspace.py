"""The resolved workspace: every document loaded, cross-references indexed.

Rules read this model and never re-parse files. Indexes are built once here: units by id,
maps and processes by code, sasaran and indicators by id, cross-functional maps by process.
Duplicates are kept (as lists) rather than dropped, because reporting them is a rule's job.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .findings import ElementRef
from .model import (
    CrossFunctionalMap,
    Indicator,
    Process,
    ProcessMap,
    Renstra,
    RenstraSasaran,
    Rpjmd,
    Sasaran,
    Sotk,
    Unit,
    Waiver,
    WorkspaceDoc,
)


@dataclass
class LoadedDoc:
    file: str  # path relative to the workspace root, with forward slashes
    kind: str
    model: Any
    sha256: str
    # values the lenient loader took out (engine/lenient.py): (line of the mapping that held
    # the value, field path); findings there may follow from the input error, not the map
    pruned: list[tuple[int | None, str]] = field(default_factory=list)


@dataclass
class MapEntry:
    map: ProcessMap
    file: str
    # values derived from this map alone, computed once (engine/rule.py referenced_units)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ProcessEntry:
    process: Process
    map: ProcessMap
    file: str


@dataclass
class LfEntry:
    lf: CrossFunctionalMap
    file: str


@dataclass
class SasaranEntry:
    """An RPJMD or Renstra sasaran with where it comes from."""

    sasaran: Sasaran | RenstraSasaran
    source: str  # "rpjmd" | "renstra"
    doc_id: str  # rpjmd id or renstra id
    unit: str | None  # the OPD of a Renstra sasaran
    file: str


@dataclass
class IndicatorEntry:
    indicator: Indicator
    owner: str  # id of the tujuan/sasaran that holds it
    source: str  # "rpjmd" | "renstra"
    doc_id: str
    unit: str | None
    file: str


@dataclass
class Workspace:
    root: Path
    name: str
    manifest: WorkspaceDoc | None = None
    manifest_file: str | None = None
    docs: list[LoadedDoc] = field(default_factory=list)
    input_errors: list[InputError] = field(default_factory=list)
    # problems that do not make the input wrong, e.g. a profile naming a rule of a plugin that
    # PROBIS_LOAD_PLUGINS left out: shown, but not an input error
    notices: list[InputError] = field(default_factory=list)

    sotk: Sotk | None = None
    sotk_file: str | None = None
    sotk_versions: dict[str, tuple[Sotk, str]] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)

    rpjmd: Rpjmd | None = None
    rpjmd_file: str | None = None
    rpjmd_versions: dict[str, tuple[Rpjmd, str]] = field(default_factory=dict)
    renstras: list[tuple[Renstra, str]] = field(default_factory=list)

    maps: list[MapEntry] = field(default_factory=list)
    maps_by_code: dict[str, list[MapEntry]] = field(default_factory=dict)
    processes: list[ProcessEntry] = field(default_factory=list)
    processes_by_code: dict[str, list[ProcessEntry]] = field(default_factory=dict)
    lf_maps: list[LfEntry] = field(default_factory=list)
    lf_by_process: dict[str, list[LfEntry]] = field(default_factory=dict)

    sasaran: dict[str, SasaranEntry] = field(default_factory=dict)
    indicators: dict[str, IndicatorEntry] = field(default_factory=dict)

    waivers: list[tuple[Waiver, str]] = field(default_factory=list)
    extra: dict[str, list[LoadedDoc]] = field(default_factory=dict)
    # opd_of / process_unit results: every rule asks them for every element (a national run
    # asked opd_of millions of times). Valid while ``units`` is the same dict of the same size.
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    _memo_units: tuple[int, int] = field(default=(0, -1), repr=False, compare=False)

    def _unit_memo(self) -> dict[Any, Any]:
        stamp = (id(self.units), len(self.units))
        if self._memo_units != stamp:
            self._memo.clear()
            self._memo_units = stamp
        return self._memo

    # --- units ------------------------------------------------------------------------
    def opd_of(self, unit_id: str | None) -> str | None:
        """The top-level unit (OPD) above ``unit_id`` in the SOTK in force.

        Bagian of the Sekretariat Daerah are scored as units of their own: auditors look at
        Bagian Organisasi and Bagian Hukum separately, as the workshop does.
        """
        if unit_id is None:
            return None
        memo = self._unit_memo()
        if unit_id not in memo:
            memo[unit_id] = self._opd_of(unit_id)
        return memo[unit_id]

    def _opd_of(self, unit_id: str) -> str | None:
        seen: set[str] = set()
        current = unit_id
        while current in self.units and current not in seen:
            seen.add(current)
            unit = self.units[current]
            if unit.type == "bagian" or not unit.parent or unit.parent not in self.units:
                return current
            current = unit.parent
        return unit_id if unit_id not in self.units else current

    def unit_name(self, unit_id: str | None) -> str:
        if unit_id and unit_id in self.units:
            return self.units[unit_id].name or unit_id
        # a unit of an earlier SOTK (a map not yet remapped after a restructuring)
        for sotk_id, (sotk, _) in sorted(self.sotk_versions.items()):
            for unit in sotk.units:
                if unit.id == unit_id and unit.name:
                    return f"{unit.name} ({sotk_id})"
        return unit_id or "-"

    def process_unit(self, entry: ProcessEntry) -> str | None:
        memo = self._unit_memo()
        key = ("process", id(entry))
        hit = memo.get(key)
        if hit is None or hit[0] is not entry:  # the entry is kept: its id cannot be reused
            hit = memo[key] = (entry, self._process_unit(entry))
        return hit[1]

    def process_units(self, entries: Iterable[ProcessEntry]) -> list[str | None]:
        """``[process_unit(e) for e in entries]`` (report sections walk every process)."""
        return list(map(self.process_unit, entries))

    def _process_unit(self, entry: ProcessEntry) -> str | None:
        return self.owners_unit(entry.process.owners, entry.map.unit)

    def owners_unit(self, owners: list[str], map_unit: str | None) -> str | None:
        """The OPD a process with these owners, in a map of ``map_unit``, is scored against:
        its one known owner's, else its map's, else its first owner's."""
        if len(owners) == 1 and owners[0] in self.units:
            return self.opd_of(owners[0])
        if map_unit:
            return self.opd_of(map_unit)
        return self.opd_of(owners[0]) if owners else None

    def map_unit(self, m: ProcessMap) -> str | None:
        return self.opd_of(m.unit) if m.unit else None

    # --- element references -----------------------------------------------------------
    def processes_of(self, entry: MapEntry) -> list[ProcessEntry]:
        """The process entries of ``entry``'s map, in map (and ``processes``) order."""
        return [pe for p in entry.map.processes for pe in self.processes_by_code.get(p.code, ())
                if pe.map is entry.map and pe.process is p]

    def ref_process(self, entry: ProcessEntry) -> ElementRef:
        # one (immutable) reference per entry, shared by every rule that asks
        memo = self._unit_memo()
        key = ("ref", id(entry))
        hit = memo.get(key)
        if hit is None or hit[0] is not entry:
            hit = memo[key] = (entry, ElementRef(
                element=entry.process.code, kind="process", file=entry.file,
                line=entry.process.line, map=entry.map.code, unit=self.process_unit(entry),
            ))
        return hit[1]

    def ref_map(self, entry: MapEntry) -> ElementRef:
        return ElementRef(
            element=entry.map.code, kind="map", file=entry.file, line=entry.map.line,
            map=entry.map.code, unit=self.map_unit(entry.map),
        )

    def lf_map_code(self, lf: CrossFunctionalMap) -> str | None:
        """The code of the process map that holds the process a cross-functional map details."""
        holders = self.processes_by_code.get(lf.process)
        return holders[0].map.code if holders else None

    def ref_lf(self, entry: LfEntry, element: str | None = None, kind: str = "lf-map",
               line: int | None = None) -> ElementRef:
        lf = entry.lf
        holders = self.processes_by_code.get(lf.process)
        unit = self.process_unit(holders[0]) if holders else self.opd_of(lf.unit)
        return ElementRef(
            element=element or lf.process, kind=kind, file=entry.file,
            line=line if line is not None else lf.line, map=self.lf_map_code(lf), unit=unit,
        )

    def ref_unit(self, unit: Unit) -> ElementRef:
        return ElementRef(element=unit.id, kind="unit", file=self.sotk_file, line=unit.line,
                          map=None, unit=self.opd_of(unit.id))

    def ref_sasaran(self, entry: SasaranEntry) -> ElementRef:
        return ElementRef(element=entry.sasaran.id, kind="sasaran", file=entry.file,
                          line=entry.sasaran.line, map=None, unit=entry.unit)

    def ref_indicator(self, entry: IndicatorEntry) -> ElementRef:
        return ElementRef(element=entry.indicator.id, kind="indicator", file=entry.file,
                          line=entry.indicator.line, map=None, unit=entry.unit)

    def file_hashes(self) -> list[dict[str, str]]:
        return [{"file": d.file, "kind": d.kind, "sha256": d.sha256} for d in self.docs]


def index(ws: Workspace) -> None:
    """Build every index from ``ws.docs``. Called once by the loader."""
    by_kind: dict[str, list[LoadedDoc]] = defaultdict(list)
    for doc in ws.docs:
        by_kind[doc.kind].append(doc)

    manifest = ws.manifest
    for doc in by_kind.get("sotk", []):
        ws.sotk_versions.setdefault(doc.model.id, (doc.model, doc.file))
        if manifest and manifest.sotk and _same(manifest.sotk, doc.file):
            ws.sotk, ws.sotk_file = doc.model, doc.file
    if ws.sotk is not None:
        ws.units = {u.id: u for u in ws.sotk.units}

    for doc in by_kind.get("rpjmd", []):
        ws.rpjmd_versions.setdefault(doc.model.id, (doc.model, doc.file))
        if manifest and manifest.rpjmd and _same(manifest.rpjmd, doc.file):
            ws.rpjmd, ws.rpjmd_file = doc.model, doc.file
    if ws.rpjmd is not None:
        rpjmd_id, rpjmd_file = ws.rpjmd.id, ws.rpjmd_file or ""
        for s in ws.rpjmd.sasaran:
            ws.sasaran.setdefault(s.id, SasaranEntry(s, "rpjmd", rpjmd_id, None, rpjmd_file))
        _index_indicators(ws, ws.rpjmd.sasaran, "rpjmd", rpjmd_id, None, rpjmd_file)
        _index_indicators(ws, ws.rpjmd.tujuan, "rpjmd", rpjmd_id, None, rpjmd_file)

    for doc in by_kind.get("renstra", []):
        renstra: Renstra = doc.model
        ws.renstras.append((renstra, doc.file))
        unit = ws.opd_of(renstra.unit)
        for s in renstra.sasaran:
            ws.sasaran.setdefault(s.id, SasaranEntry(s, "renstra", renstra.id, unit, doc.file))
        _index_indicators(ws, renstra.sasaran, "renstra", renstra.id, unit, doc.file)
        _index_indicators(ws, renstra.tujuan, "renstra", renstra.id, unit, doc.file)

    for doc in by_kind.get("peta-proses", []):
        entry = MapEntry(doc.model, doc.file)
        ws.maps.append(entry)
        ws.maps_by_code.setdefault(entry.map.code, []).append(entry)
        for p in entry.map.processes:
            pe = ProcessEntry(p, entry.map, doc.file)
            ws.processes.append(pe)
            ws.processes_by_code.setdefault(p.code, []).append(pe)

    for doc in by_kind.get("peta-lintas-fungsi", []):
        lf_entry = LfEntry(doc.model, doc.file)
        ws.lf_maps.append(lf_entry)
        ws.lf_by_process.setdefault(lf_entry.lf.process, []).append(lf_entry)

    for doc in by_kind.get("waivers", []):
        ws.waivers.extend((w, doc.file) for w in doc.model.waivers)

    for kind, docs in by_kind.items():
        if kind not in {"workspace", "sotk", "rpjmd", "renstra", "peta-proses",
                        "peta-lintas-fungsi", "waivers"}:
            ws.extra[kind] = docs


def _index_indicators(ws: Workspace, holders: list[Any], source: str, doc_id: str,
                      unit: str | None, file: str) -> None:
    """Index the indicators of tujuan or sasaran; the first definition of an id wins."""
    for holder in holders:
        for ind in holder.indikator:
            ws.indicators.setdefault(ind.id, IndicatorEntry(ind, holder.id, source, doc_id, unit,
                                                            file))


def _same(manifest_path: str, file: str) -> bool:
    return posixpath.normpath(manifest_path.replace("\\", "/")) == file
