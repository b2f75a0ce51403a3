"""SOP010: an SOP matches the cross-functional map it implements (activities, executors,
order), so that a map revised or a unit renamed by a restructuring shows up in its SOPs."""

from __future__ import annotations

from typing import Any

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo
from probis.engine.workspace import LfEntry, Workspace

from .flow import MapRow, branch, flow_order, norm, precedes
from .index import SopEntry, processes_by_sop, ref_sop, sop_entries, sop_processes
from .model import SopStep

M = {
    "missing_row": text(
        "Langkah {step} ({name}) peta lintas fungsi {process} ({file}) tidak ada dalam SOP {sop}",
        "Step {step} ({name}) of the cross-functional map of {process} ({file}) has no row in "
        "SOP {sop}"),
    "extra_row": text(
        "Baris {row} SOP {sop} ({activity}) bukan langkah peta lintas fungsi {process} ({file})",
        "Row {row} of SOP {sop} ({activity}) is not a step of the cross-functional map of "
        "{process} ({file})"),
    "order": text(
        "Urutan berubah: baris {row} SOP {sop} (langkah peta {step}) datang sesudah baris "
        "{prev_row} (langkah peta {prev_step}), sedangkan pada peta {process} langkah {step} "
        "mendahului {prev_step}",
        "Order changed: row {row} of SOP {sop} (map step {step}) comes after row {prev_row} "
        "(map step {prev_step}), but in the map of {process} step {step} comes before "
        "{prev_step}"),
    "executor": text(
        "Pelaksana baris {row} SOP {sop} adalah \"{executor}\", sedangkan langkah {step} peta "
        "{process} berada pada lajur {lane} (\"{lane_name}\")",
        "The executor of row {row} of SOP {sop} is \"{executor}\", but step {step} of the map "
        "of {process} is in lane {lane} (\"{lane_name}\")"),
    "unit": text(
        "Unit pelaksana baris {row} SOP {sop} adalah {sop_unit}, sedangkan lajur {lane} peta "
        "{process} (langkah {step}) kini milik {lane_unit}",
        "The executor unit of row {row} of SOP {sop} is {sop_unit}, but lane {lane} of the "
        "map of {process} (step {step}) now belongs to {lane_unit}"),
    "branch": text(
        "Cabang {answer} baris {row} SOP {sop} menuju baris {sop_target} (langkah peta "
        "{sop_step}), sedangkan pada peta {process} cabang {answer} langkah {step} menuju "
        "{map_step}",
        "The {answer} branch of row {row} of SOP {sop} leads to row {sop_target} (map step "
        "{sop_step}), but in the map of {process} the {answer} branch of step {step} leads to "
        "{map_step}"),
    "gone": text(
        "Unit pelaksana {unit} pada baris {row} SOP {sop} (lajur {lane}, langkah {step} peta "
        "{process}) tidak ada dalam SOTK yang berlaku ({sotk}){change}",
        "Executor unit {unit} of row {row} of SOP {sop} (lane {lane}, step {step} of the map "
        "of {process}) is not in the SOTK in force ({sotk}){change}"),
}


class SopMatchesMap(PythonRule):
    info = RuleInfo(
        id="SOP010",
        rule_set="sop",
        severity="warning",
        title=text("SOP sesuai dengan peta lintas fungsinya",
                   "An SOP matches its cross-functional map"),
        checks=text(
            "Untuk SOP dari proses yang memiliki peta lintas fungsi: setiap langkah peta ada "
            "sebagai baris SOP dan sebaliknya (dicocokkan lewat `map_step` atau nama kegiatan), "
            "urutan baris mengikuti urutan alur peta, cabang `ya`/`tidak` sebuah keputusan "
            "menuju langkah yang sama dengan cabang di peta, pelaksana dan unitnya sama dengan "
            "lajur langkah itu, dan unit pelaksana masih ada dalam SOTK yang berlaku.",
            "For an SOP of a process that has a cross-functional map: every map step is a row "
            "of the SOP and every row a map step (matched by `map_step` or activity name), the "
            "rows follow the map's flow order, a decision's `ya`/`tidak` branches lead to the "
            "steps its branches lead to on the map, executor and unit equal the step's lane, "
            "and the executor's unit is still in the SOTK in force.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "peta lintas fungsi menjadi dasar penyusunan SOP; PermenPANRB 35/2012 tentang "
            "Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan: SOP "
            "dievaluasi dan disesuaikan bila proses atau organisasi berubah.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies: "
            "the cross-functional map is the basis of the SOP; PermenPANRB 35/2012 on "
            "guidelines for SOPs of government administration: SOPs are evaluated and "
            "adjusted when the process or the organisation changes.",
        ),
        rationale=text(
            "SOP yang menyimpang dari petanya menyuruh pegawai menjalankan prosedur yang "
            "sudah tidak berlaku atau oleh jabatan yang sudah tidak ada.",
            "An SOP that drifted from its map tells staff to run a procedure that no longer "
            "applies, or names positions that no longer exist.",
        ),
        fix=text(
            "Sesuaikan baris SOP dengan peta (atau peta dengan praktik yang benar), lalu "
            "terbitkan revisi SOP; `probis sop WORKSPACE KODE -o sop.yaml` membuat draf baru "
            "dari peta.",
            "Bring the SOP rows in line with the map (or the map with actual practice) and "
            "issue a revised SOP; `probis sop WORKSPACE CODE -o sop.yaml` drafts one from "
            "the map.",
        ),
        example_fail="lanes: [{id: fo, name: Petugas Pelayanan, unit: disdukcapil.dafduk}]\n"
                     "# SOP row 2: {executor: Petugas Pelayanan, unit: disdukcapil.piak}",
        example_pass="lanes: [{id: fo, name: Petugas Pelayanan, unit: disdukcapil.dafduk}]\n"
                     "# SOP row 2: {executor: Petugas Pelayanan, unit: disdukcapil.dafduk}",
        applies_to="sop",
        source="plugins/sop/consistency.py",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        linked = processes_by_sop(ws)
        for entry in sop_entries(ws):
            codes = sorted({pe.process.code for pe in sop_processes(ws, entry, linked)}
                           | ({entry.sop.process} if entry.sop.process else set()))
            lfs = [(code, ws.lf_by_process[code][0]) for code in codes if code in ws.lf_by_process]
            if not lfs:
                continue  # nothing to compare with
            ref = ref_sop(ws, entry, linked)
            out.applicable(ref)
            for code, lf in lfs:
                self._compare(ws, entry, code, lf, ref, linked, out)

    def _compare(self, ws: Workspace, entry: SopEntry, code: str, lf: LfEntry, ref: ElementRef,
                 linked: dict[str, Any], out: Evaluation) -> None:
        rows = flow_order(lf.lf)
        by_id = {r.step.id: r for r in rows}
        by_name: dict[str, MapRow] = {}
        for r in rows:
            by_name.setdefault(norm(r.step.name), r)
        base = {"sop": entry.sop.id, "process": code, "file": lf.file}
        matched: list[tuple[SopStep, MapRow]] = []
        for step in entry.sop.steps:
            row = by_id.get(step.map_step or "") or by_name.get(norm(step.activity))
            step_ref = ref_sop(ws, entry, linked, step)
            if row is None or not norm(step.activity) and not step.map_step:
                out.finding(step_ref, M["extra_row"],
                            {**base, "row": step.id, "activity": step.activity or "-"},
                            evidence={"sop_row": step.id})
                continue
            matched.append((step, row))
        seen = {row.step.id for _, row in matched}
        for r in rows:
            if r.step.id not in seen:
                out.finding(ws.ref_lf(lf, f"{code}#{r.step.id}", "lf-step", r.step.line),
                            M["missing_row"], {**base, "step": r.step.id,
                                               "name": r.step.name or "-"},
                            evidence={"map_step": r.step.id, "sop": entry.sop.id})
        latest: tuple[SopStep, MapRow] | None = None
        for step, row in matched:
            step_ref = ref_sop(ws, entry, linked, step)
            values = {**base, "row": step.id, "step": row.step.id}
            evidence = {"sop_row": step.id, "map_step": row.step.id}
            if latest is not None and row.number < latest[1].number:
                # only a step the map's flows lead from to the earlier row's step is out of
                # order: two branches of one decision may come in either order
                if precedes(by_id, row.step.id, latest[1].step.id):
                    out.finding(step_ref, M["order"], {**values, "prev_row": latest[0].id,
                                                       "prev_step": latest[1].step.id},
                                evidence=evidence)
            elif latest is None or row.number > latest[1].number:
                latest = (step, row)
            self._executor(ws, step, row, step_ref, values, evidence, out)
            self._branches(step, row, by_id, matched, step_ref, values, evidence, out)

    def _branches(self, step: SopStep, row: MapRow, by_id: dict[str, MapRow],
                  matched: list[tuple[SopStep, MapRow]], step_ref: ElementRef,
                  values: dict[str, Any], evidence: dict[str, Any], out: Evaluation) -> None:
        """A decision row's `ya`/`tidak` against the map's yes/no flows of its step."""
        if row.step.type != "decision":
            return
        map_step_of = {str(s.id): r.step.id for s, r in matched}
        for answer, target, yes in (("ya", step.ya, True), ("tidak", step.tidak, False)):
            if target is None or str(target) not in map_step_of:
                continue  # not written, or a row the SOP does not match: said elsewhere
            on_map = branch(row, yes)
            if on_map is not None and map_step_of[str(target)] != on_map:
                out.finding(step_ref, M["branch"], {
                    **values, "answer": answer.capitalize(), "sop_target": target,
                    "sop_step": map_step_of[str(target)], "map_step": on_map},
                    evidence={**evidence, "branch": answer})

    def _executor(self, ws: Workspace, step: SopStep, row: MapRow, step_ref: ElementRef,
                  values: dict[str, Any], evidence: dict[str, Any], out: Evaluation) -> None:
        lane = row.lane
        if lane is None:
            return
        values = {**values, "lane": lane.id, "lane_name": lane.name or lane.id}
        if step.unit and lane.unit and step.unit != lane.unit:
            out.finding(step_ref, M["unit"], {**values, "sop_unit": step.unit,
                                              "lane_unit": lane.unit},
                        evidence={**evidence, "lane": lane.id})
        elif step.executor and norm(step.executor) not in {
                norm(lane.name), norm(ws.unit_name(lane.unit) if lane.unit else "")}:
            out.finding(step_ref, M["executor"], {**values, "executor": step.executor},
                        evidence={**evidence, "lane": lane.id})
        unit = step.unit or lane.unit
        if unit and ws.sotk is not None and not lane.external and unit not in ws.units:
            out.finding(step_ref, M["gone"], {**values, "unit": unit,
                                              "sotk": ws.sotk.id,
                                              "change": _restructured(ws, unit)},
                        evidence={**evidence, "lane": lane.id, "unit": unit})


def _restructured(ws: Workspace, unit: str) -> str:
    """The `changes:` entry of the SOTK in force that renamed, merged or abolished ``unit``,
    as ": `op` -> target", or "" when the SOTK does not say."""
    for change in ws.sotk.changes if ws.sotk else []:
        sources = change.from_ if isinstance(change.from_, list) else [change.from_]
        if unit in sources or change.unit == unit:
            target = change.to if isinstance(change.to, str) else ", ".join(change.to or [])
            return f": `{change.op}` -> {target or '-'}"
    return ""
