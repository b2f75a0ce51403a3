"""The planning cascade of one workspace, resolved once for the ALN rules, coverage and trace.

RPJMD misi → tujuan → sasaran ← Renstra sasaran (``supports``) ← process (``supports``); a
process may also support an RPJMD sasaran directly. Ids are resolved against the RPJMD in
force (``workspace.rpjmd``). A Renstra that names another RPJMD (ALN005) still has its links
listed, but they do not count as serving the RPJMD in force: they were written against a plan
that no longer applies.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from probis.engine.findings import ElementRef
from probis.engine.model import (
    Indicator,
    Misi,
    Renstra,
    RenstraSasaran,
    RenstraTujuan,
    Sasaran,
    Tujuan,
)
from probis.engine.workspace import ProcessEntry, Workspace


@dataclass(frozen=True)
class Server:
    """A process that serves a sasaran, directly or through a Renstra sasaran (``via``)."""

    process: str
    name: str | None
    unit: str | None  # the OPD the process belongs to
    via: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {"process": self.process, "name": self.name,
                                      "unit": self.unit}
        if self.via is not None:
            out["via"] = self.via
        return out


@dataclass
class RenstraItem:
    renstra: Renstra
    sasaran: RenstraSasaran
    file: str
    unit: str | None  # OPD of the Renstra
    in_force: bool  # the Renstra names the RPJMD in force

    @property
    def current(self) -> bool:
        """Its links count for the RPJMD in force (see the module docstring); a Renstra that
        names no RPJMD is read against the one in force (ALN005 reports the missing name)."""
        return self.renstra.rpjmd is None or self.in_force


@dataclass
class Cascade:
    ws: Workspace
    misi: dict[str, Misi] = field(default_factory=dict)
    tujuan: dict[str, Tujuan] = field(default_factory=dict)
    sasaran: dict[str, Sasaran] = field(default_factory=dict)  # RPJMD sasaran in force
    renstra_sasaran: dict[str, RenstraItem] = field(default_factory=dict)
    # RPJMD sasaran id -> processes supporting it directly
    direct: dict[str, list[Server]] = field(default_factory=lambda: defaultdict(list))
    # Renstra sasaran id -> processes supporting it
    renstra_servers: dict[str, list[Server]] = field(default_factory=lambda: defaultdict(list))
    # RPJMD sasaran id -> Renstra sasaran ids (current Renstras only) that support it
    supporters: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # RPJMD sasaran id -> OPDs whose Renstra (any, current or not) mentions it
    mentions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    # --- lookups ----------------------------------------------------------------------
    def tujuan_of(self, sasaran_id: str) -> Tujuan | None:
        s = self.sasaran.get(sasaran_id)
        return self.tujuan.get(s.tujuan) if s and s.tujuan else None

    def misi_of_tujuan(self, tujuan: Tujuan | None) -> Misi | None:
        return self.misi.get(tujuan.misi) if tujuan and tujuan.misi else None

    def via_renstra(self, sasaran_id: str) -> list[Server]:
        """Processes serving an RPJMD sasaran through a current Renstra sasaran."""
        out: list[Server] = []
        for rs_id in self.supporters.get(sasaran_id, []):
            out += [Server(s.process, s.name, s.unit, via=rs_id)
                    for s in self.renstra_servers.get(rs_id, [])]
        return out

    def via_renstra_dicts(self, sasaran_id: str) -> list[dict[str, str | None]]:
        """``server_dicts(via_renstra(sasaran_id))`` (coverage.py) without a ``Server`` made
        for each link: the coverage section asks it of every sasaran."""
        unique: dict[tuple[str, str], tuple[Server, str]] = {}
        for rs_id in self.supporters.get(sasaran_id, []):
            for s in self.renstra_servers.get(rs_id, []):
                unique[(s.process, rs_id or "")] = (s, rs_id)
        out: list[dict[str, str | None]] = []
        for s, via in map(unique.__getitem__, sorted(unique)):
            row: dict[str, str | None] = {"process": s.process, "name": s.name, "unit": s.unit}
            if via is not None:  # as ``Server.to_dict``
                row["via"] = via
            out.append(row)
        return out

    def served(self, sasaran_id: str) -> bool:
        # (what ``bool(self.via_renstra(sasaran_id))`` says, without building the list)
        return bool(self.direct.get(sasaran_id)) or any(
            self.renstra_servers.get(rs_id) for rs_id in self.supporters.get(sasaran_id, []))

    def indicators(self, ids: list[str]) -> list[Indicator]:
        return [self.ws.indicators[i].indicator for i in ids if i in self.ws.indicators]


def build(ws: Workspace) -> Cascade:
    cascade = Cascade(ws)
    rpjmd = ws.rpjmd
    if rpjmd is not None:
        # first definition wins, as in the workspace indexes; duplicates are the loader's report
        for m in rpjmd.misi:
            cascade.misi.setdefault(m.id, m)
        for t in rpjmd.tujuan:
            cascade.tujuan.setdefault(t.id, t)
        for s in rpjmd.sasaran:
            cascade.sasaran.setdefault(s.id, s)
    in_force = rpjmd.id if rpjmd else None
    for renstra, file in ws.renstras:
        unit = ws.opd_of(renstra.unit)
        for rs in renstra.sasaran:
            if rs.id in cascade.renstra_sasaran or rs.id in cascade.sasaran:
                continue
            item = RenstraItem(renstra, rs, file, unit, renstra.rpjmd == in_force)
            cascade.renstra_sasaran[rs.id] = item
            for target in rs.supports:
                if target not in cascade.sasaran:
                    continue
                if unit:
                    cascade.mentions[target].add(unit)
                if item.current:
                    cascade.supporters[target].append(rs.id)
    for entry in ws.processes:
        server = process_server(ws, entry)
        for target in dict.fromkeys(entry.process.supports):
            if target in cascade.sasaran:
                cascade.direct[target].append(server)
            elif target in cascade.renstra_sasaran:
                cascade.renstra_servers[target].append(server)
    return cascade


# ALN003's cascade, kept for the coverage section of the same run (``kept``): the workspace by
# a weak reference and the cascade without it, so nothing here keeps a workspace alive or
# makes a cycle through it; taken once, and only while what ``build`` read is the same.
_kept: tuple[weakref.ref[Workspace], tuple[int, ...], dict[str, Any]] | None = None


def _stamp(ws: Workspace) -> tuple[int, ...]:
    return (id(ws.rpjmd), id(ws.renstras), len(ws.renstras), id(ws.processes),
            len(ws.processes), id(ws.units), len(ws.units))


def build_and_keep(ws: Workspace) -> Cascade:
    """``build(ws)``, kept for one ``kept(ws)`` (the coverage section after ALN003)."""
    global _kept
    cascade = build(ws)
    _kept = (weakref.ref(ws, _forget), _stamp(ws),
             {f.name: getattr(cascade, f.name) for f in fields(cascade) if f.name != "ws"})
    return cascade


def kept(ws: Workspace) -> Cascade:
    """The cascade ``build_and_keep`` made of this workspace (dropped here), else ``build``."""
    global _kept
    held, _kept = _kept, None
    if held is not None and held[0]() is ws and held[1] == _stamp(ws):
        return Cascade(ws, **held[2])
    return build(ws)


def _forget(_ref: weakref.ref[Workspace]) -> None:
    global _kept
    if _kept is not None and _kept[0] is _ref:
        _kept = None


def process_server(ws: Workspace, entry: ProcessEntry) -> Server:
    return Server(entry.process.code, entry.process.name, ws.process_unit(entry))


# --- element references for plan elements (the workspace has refs for sasaran only) --------

def ref_tujuan(tujuan: Tujuan | RenstraTujuan, file: str | None, unit: str | None) -> ElementRef:
    return ElementRef(element=tujuan.id, kind="tujuan", file=file, line=tujuan.line, unit=unit)


def ref_renstra(ws: Workspace, renstra: Renstra, file: str) -> ElementRef:
    return ElementRef(element=renstra.id, kind="renstra", file=file, line=renstra.line,
                      unit=ws.opd_of(renstra.unit))


def ref_rpjmd_sasaran(ws: Workspace, sasaran: Sasaran) -> ElementRef:
    return ElementRef(element=sasaran.id, kind="sasaran", file=ws.rpjmd_file,
                      line=sasaran.line)


def ref_renstra_sasaran(item: RenstraItem) -> ElementRef:
    return ElementRef(element=item.sasaran.id, kind="sasaran", file=item.file,
                      line=item.sasaran.line, unit=item.unit)

