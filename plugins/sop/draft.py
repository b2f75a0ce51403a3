"""An SOP draft (PermenPANRB 35/2012 format) built from a process's cross-functional map.

``build_draft`` returns a `kind: sop` document as a plain dict (the YAML the workspace can
keep) plus what the .docx/.xlsx writers need to draw it: the Pelaksana columns (one per lane,
in lane order) and each row's column, symbol and connectors. Identity fields come from the
process, its map, the SOTK in force and the date of the draft; what no document holds is a
marked blank "(diisi ...)" that SOP001/SOP002 keep reporting until someone fills it in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from probis.engine.workspace import LfEntry, ProcessEntry, Workspace

from .flow import MapRow, branch, flow_order

# the labels of the identity section, in the order of the PermenPANRB 35/2012 form
IDENTITY_LABELS: tuple[tuple[str, str], ...] = (
    ("number", "Nomor SOP"), ("made", "Tanggal Pembuatan"), ("revised", "Tanggal Revisi"),
    ("effective", "Tanggal Efektif"), ("approved_by", "Disahkan oleh"), ("name", "Nama SOP"),
)
SECTION_LABELS: tuple[tuple[str, str], ...] = (
    ("legal_basis", "Dasar Hukum"), ("executor_qualifications", "Kualifikasi Pelaksana"),
    ("related", "Keterkaitan"), ("equipment", "Peralatan/Perlengkapan"),
    ("warning", "Peringatan"), ("records", "Pencatatan dan Pendataan"),
)
BLANKS: dict[str, str] = {
    "number": "(diisi nomor SOP oleh unit penyusun)",
    "revised": "(diisi bila SOP direvisi)",
    "effective": "(diisi tanggal SOP berlaku)",
    "approved_by": "(diisi pejabat yang mengesahkan)",
    "legal_basis": "(diisi peraturan yang mendasari prosedur)",
    "executor_qualifications": "(diisi kompetensi pelaksana)",
    "related": "(diisi SOP terkait, atau -)",
    "equipment": "(diisi peralatan/perlengkapan, atau -)",
    "warning": "(diisi akibat bila SOP tidak dilaksanakan)",
    "records": "(diisi catatan/data yang disimpan, atau -)",
    "requirements": "(diisi kelengkapan)",
    "time": "(diisi waktu)",
    "output": "(diisi output)",
}
# standard flowchart symbols of PermenPANRB 35/2012, as characters a cell can hold
SYMBOLS = {"start": "⬭", "end": "⬭", "task": "▭", "decision": "◇", "connector": "⬠"}
SYMBOL_NAMES = {"start": "Terminator (mulai)", "end": "Terminator (selesai)",
                "task": "Kegiatan", "decision": "Keputusan", "connector": "Penghubung"}


class DraftError(Exception):
    """No draft can be made for this code; ``message`` is {id, en}."""

    def __init__(self, message: dict[str, str]) -> None:
        super().__init__(message["en"])
        self.message = message


@dataclass
class DraftRow:
    number: int
    kind: str  # start | end | task | decision
    activity: str
    column: int | None  # index into Draft.executors; None: lane unknown
    requirements: list[str]  # kelengkapan, one document or condition an item
    time: str
    output: str
    note: str
    goes_to: list[int] = field(default_factory=list)  # row numbers the connectors lead to


@dataclass
class Draft:
    doc: dict[str, Any]  # the `kind: sop` document
    unit_name: str
    executors: list[str]  # Pelaksana columns, in lane order
    rows: list[DraftRow]


def lowest_level_with_lf(ws: Workspace) -> list[str]:
    """Codes of the lowest-level processes (no map decomposes them) with a cross-functional
    map: what ``probis sop --all`` drafts."""
    codes = {pe.process.code for pe in ws.processes
             if pe.process.code not in ws.maps_by_code and pe.process.code in ws.lf_by_process}
    return sorted(codes)


MAP_WORDS = "Peta Proses Bisnis"


def map_name(title: str) -> str:
    """'Peta Proses Bisnis <title>', once: most map titles already begin with the words."""
    if " ".join(title.split()).casefold().startswith(MAP_WORDS.casefold()):
        return title
    return f"{MAP_WORDS} {title}"


def build_draft(ws: Workspace, code: str, made: dt.date) -> Draft:
    holders: list[ProcessEntry] = ws.processes_by_code.get(code, [])
    lfs: list[LfEntry] = ws.lf_by_process.get(code, [])
    if not lfs and not holders:
        from probis.engine.nearmatch import close_matches

        near = close_matches(code, list(ws.processes_by_code), n=1)
        raise DraftError({
            "id": f"proses {code} tidak ada di peta proses mana pun di ruang kerja ini"
                  + (f"; maksudnya {near[0]}?" if near else ""),
            "en": f"process {code} does not exist in any process map of this workspace"
                  + (f"; did you mean {near[0]}?" if near else "")})
    if not lfs:
        raise DraftError({
            "id": f"proses {code} tidak memiliki peta lintas fungsi (`peta-lintas-fungsi` "
                  f"dengan `process: {code}`); SOP disusun dari peta itu",
            "en": f"process {code} has no cross-functional map (a `peta-lintas-fungsi` with "
                  f"`process: {code}`); the SOP is drafted from that map"})
    lf = lfs[0].lf
    process = holders[0].process if holders else None
    opd = ws.process_unit(holders[0]) if holders else ws.opd_of(lf.unit)
    unit_name = ws.unit_name(opd) if opd else "-"
    rows = flow_order(lf)
    number_of = {r.step.id: r.number for r in rows}
    lane_order = [lane.id for lane in lf.lanes]
    used = [lid for lid in lane_order if any(r.step.lane == lid for r in rows)]
    lanes = {lane.id: lane for lane in lf.lanes}
    executors = [_lane_name(ws, lanes[lid]) for lid in used]
    first_inputs = [i for i in process.inputs if i.strip()] if process else []
    # kelengkapan of a row: what the row before it in the flow yields (a decision passes on
    # what it was given); the first row needs the process's inputs, one item each
    needs: dict[str, list[str]] = {}
    for r in rows:
        if r.step.type == "start" and r.step.id not in needs:
            needs[r.step.id] = first_inputs
        passes = [r.step.output] if r.step.output else needs.get(r.step.id, [])
        for nxt in r.next:
            if number_of[nxt] > r.number and passes:
                needs.setdefault(nxt, passes)

    steps: list[dict[str, Any]] = []
    draft_rows: list[DraftRow] = []
    for r in rows:
        requirements = needs.get(r.step.id) or [BLANKS["requirements"]]
        time = str(r.step.time) if r.step.time not in (None, "") else ""
        output = r.step.output or _decision_output(r)
        step: dict[str, Any] = {"id": r.number, "type": r.step.type,
                                "activity": r.step.name or "(diisi kegiatan)",
                                "executor": _lane_name(ws, r.lane) if r.lane else None,
                                "unit": r.lane.unit if r.lane and r.lane.unit else None,
                                "map_step": r.step.id,
                                "mutu_baku": {
                                    "requirements": list(requirements),
                                    "time": time or BLANKS["time"],
                                    "output": [output] if output else [BLANKS["output"]]}}
        note = ""
        if r.step.type == "decision":
            yes, no = branch(r, True), branch(r, False)
            if yes in number_of:
                step["ya"] = number_of[yes]
            if no in number_of:
                step["tidak"] = number_of[no]
            note = "; ".join(part for part in (
                f"Ya: ke langkah {number_of[yes]}" if yes in number_of else "",
                f"Tidak: ke langkah {number_of[no]}" if no in number_of else "") if part)
        back = [number_of[t] for t in r.next if t in number_of and number_of[t] <= r.number]
        if back and r.step.type != "decision":
            note = f"Kembali ke langkah {', '.join(map(str, back))}"
        if note:
            step["note"] = note
        steps.append({k: v for k, v in step.items() if v is not None})
        column = used.index(r.step.lane) if r.step.lane in used else None
        draft_rows.append(DraftRow(r.number, r.step.type, step["activity"], column,
                                   step["mutu_baku"]["requirements"],
                                   step["mutu_baku"]["time"], step["mutu_baku"]["output"][0],
                                   note, [number_of[t] for t in r.next if t in number_of]))

    legal = []
    if ws.sotk is not None and ws.sotk.legal_basis:
        legal.append(ws.sotk.legal_basis)
    holder_map = holders[0].map if holders else None
    if holder_map is not None and holder_map.adopted and holder_map.adopted.instrument:
        adopted = holder_map.adopted
        legal.append(" ".join(p for p in (adopted.instrument, adopted.number and
                                          f"Nomor {adopted.number}") if p)
                     + f" tentang {map_name(holder_map.title or holder_map.code)}")
    related = sorted({sid for pe in holders for nxt in pe.process.next
                      for other in ws.processes_by_code.get(nxt, []) for sid in other.process.sop})
    doc: dict[str, Any] = {
        "kind": "sop",
        "id": f"SOP-{code}",
        "number": BLANKS["number"],
        "name": (process.name if process and process.name else code),
        "unit": opd,
        "process": code,
        "made": made,
        "effective": None,
        "approved_by": f"Kepala {unit_name}" if opd else BLANKS["approved_by"],
        "legal_basis": legal or [BLANKS["legal_basis"]],
        "executor_qualifications": [BLANKS["executor_qualifications"]],
        "related": related or [BLANKS["related"]],
        "equipment": [BLANKS["equipment"]],
        "warning": BLANKS["warning"],
        "records": [BLANKS["records"]],
        "steps": steps,
    }
    return Draft({k: v for k, v in doc.items() if v is not None}, unit_name, executors,
                 draft_rows)


def _decision_output(row: MapRow) -> str:
    return "Keputusan" if row.step.type == "decision" else ""


def _lane_name(ws: Workspace, lane: Any) -> str:
    if lane is None:
        return "-"
    if lane.name:
        return lane.name
    return ws.unit_name(lane.unit) if lane.unit else lane.id


def identity_value(doc: dict[str, Any], key: str) -> str:
    """One identity or header field as the form shows it: a date in ISO form, a list one item
    per line, a missing value as its marked blank."""
    value = doc.get(key)
    if value is None or value == "" or value == []:
        return BLANKS.get(key, "-")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)
