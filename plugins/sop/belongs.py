"""SOP009: every SOP belongs to a lowest-level process, so that REG013 counts it."""

from __future__ import annotations

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
            "itu yang dihitung REG013.",
            "Every `kind: sop` document is listed in the `sop:` of (or names in `process:`) a "
            "process that no map of the next level decomposes; only such SOPs count for "
            "REG013.",
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
            "`process:` pada SOP), atau pecah SOP menurut proses pada peta tingkat berikutnya.",
            "List the SOP id in `sop:` of the lowest-level process it carries out (or set "
            "`process:` on the SOP), or split it along the processes of the next-level map.",
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

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        linked = processes_by_sop(ws)
        for entry in sop_entries(ws):
            ref = ref_sop(ws, entry, linked)
            out.applicable(ref)
            processes = sop_processes(ws, entry, linked)
            if not processes:
                out.finding(ref, self.UNLINKED, {"sop": entry.sop.id})
                continue
            for code in sorted({pe.process.code for pe in processes
                                if pe.process.code in ws.maps_by_code}):
                out.finding(ref, self.NOT_LOWEST, {"sop": entry.sop.id, "code": code},
                            evidence={"process": code})
