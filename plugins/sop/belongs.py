"""SOP009: every SOP belongs to a lowest-level process, so that REG013 counts it."""

from __future__ import annotations

import difflib

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .index import processes_by_sop, ref_sop, sop_entries, sop_processes


class SopBelongsToLowestProcess(PythonRule):
    info = RuleInfo(
        id="SOP009",
        rule_set="sop",
        severity="warning",
        title=text("SOP milik proses tingkat terendah",
                   "Every SOP belongs to a lowest-level process"),
        checks=text(
            "Setiap dokumen `kind: sop` dirujuk oleh `sop:` (atau menyebut `process:`) sebuah "
            "proses yang tidak dirinci lagi oleh peta tingkat berikutnya; hanya SOP seperti "
            "itu yang dihitung REG013. `process:` menyebut proses yang ada, dan tidak ada dua "
            "SOP dengan id yang sama.",
            "Every `kind: sop` document is listed in the `sop:` of (or names in `process:`) a "
            "process that no map of the next level decomposes; only such SOPs count for "
            "REG013. Its `process:` names a process that exists, and no two SOPs share an id.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "tingkat terendah peta proses bisnis dijabarkan menjadi SOP; PermenPANRB 35/2012 "
            "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi "
            "Pemerintahan: SOP disusun per prosedur, bukan per fungsi.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies: "
            "the lowest level of the maps is broken down into SOPs; PermenPANRB 35/2012 on "
            "guidelines for SOPs of government administration: an SOP covers one procedure, "
            "not a whole function.",
        ),
        rationale=text(
            "SOP yang tidak terhubung ke proses terendah tidak terlihat dalam penilaian "
            "kelengkapan SOP (REG013, PMPRB), atau terlalu luas untuk dijalankan.",
            "An SOP not tied to a lowest-level process is invisible to the SOP coverage check "
            "(REG013, PMPRB), or too broad to be carried out.",
        ),
        fix=text(
            "Tulis id SOP pada `sop:` proses tingkat terendah yang dijalankannya (atau "
            "`process:` pada SOP, dengan kode proses yang ada), atau pecah SOP menurut proses "
            "pada peta tingkat berikutnya; beri SOP yang memakai id yang sama id sendiri.",
            "List the SOP id in `sop:` of the lowest-level process it carries out (or set "
            "`process:` on the SOP to an existing process code), or split it along the "
            "processes of the next-level map; give SOPs that share an id ids of their own.",
        ),
        example_fail="kind: sop\nid: SOP-DUK-009   # no process lists it",
        example_pass="processes:\n  - code: PB.04.02.01\n    sop: [SOP-DUK-009]",
        applies_to="sop",
        source="plugins/sop/belongs.py",
    )

    UNLINKED = text("SOP {sop} tidak dirujuk oleh proses mana pun; REG013 tidak menghitungnya",
                    "SOP {sop} is listed by no process; REG013 does not count it")
    NOT_LOWEST = text(
        "SOP {sop} dirujuk oleh proses {code} yang masih dirinci oleh peta {code}; SOP "
        "disusun untuk proses tingkat terendah",
        "SOP {sop} is listed by process {code}, which map {code} still decomposes; SOPs are "
        "written for lowest-level processes")

    UNKNOWN_PROCESS = text(
        "SOP {sop} menyebut `process: {process}`, proses yang tidak ada di peta mana pun{near_id}",
        "SOP {sop} names `process: {process}`, which no map holds{near_en}")
    SAME_ID = text(
        "SOP {sop} memakai id yang sama dengan SOP di {other}: `sop:` sebuah proses tidak dapat "
        "membedakan keduanya; beri setiap SOP id sendiri",
        "SOP {sop} has the same id as the SOP in {other}: a process's `sop:` cannot tell them "
        "apart; give each SOP an id of its own")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        linked = processes_by_sop(ws)
        first_file: dict[str, str] = {}
        for entry in sop_entries(ws):
            ref = ref_sop(ws, entry, linked)
            out.applicable(ref)
            other = first_file.setdefault(entry.sop.id, entry.file)
            if other != entry.file:
                out.finding(ref, self.SAME_ID, {"sop": entry.sop.id, "other": other},
                            evidence={"other_file": other})
            named = entry.sop.process
            if named and named not in ws.processes_by_code:
                near = difflib.get_close_matches(named, sorted(ws.processes_by_code), n=1)
                out.finding(ref, self.UNKNOWN_PROCESS, {
                    "sop": entry.sop.id, "process": named,
                    "near_id": f" (maksudnya {near[0]}?)" if near else "",
                    "near_en": f" (did you mean {near[0]}?)" if near else ""},
                    evidence={"process": named})
                if not linked.get(entry.sop.id):
                    continue  # said: "listed by no process" would send the user to `process:`
            processes = sop_processes(ws, entry, linked)
            if not processes:
                out.finding(ref, self.UNLINKED, {"sop": entry.sop.id})
                continue
            for code in sorted({pe.process.code for pe in processes
                                if pe.process.code in ws.maps_by_code}):
                out.finding(ref, self.NOT_LOWEST, {"sop": entry.sop.id, "code": code},
                            evidence={"process": code})
