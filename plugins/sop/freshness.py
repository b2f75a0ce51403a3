"""SOP011: an SOP older than the map it implements, or than the SOTK in force, is reviewed."""

from __future__ import annotations

import datetime as dt

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .index import processes_by_sop, ref_sop, sop_entries, sop_processes


class SopNotOlderThanMap(PythonRule):
    info = RuleInfo(
        id="SOP011",
        rule_set="sop",
        severity="info",
        title=text("SOP tidak lebih tua dari petanya dan dari SOTK",
                   "An SOP is not older than its map or the SOTK in force"),
        checks=text(
            "Tanggal terakhir SOP (`revised`, else `made`) tidak mendahului tanggal penetapan "
            "(`adopted.date`) peta proses yang memuat prosesnya, dan tidak mendahului tanggal "
            "berlaku (`effective`) SOTK yang berlaku.",
            "The SOP's latest date (`revised`, else `made`) is not before the adoption date "
            "(`adopted.date`) of the process map that holds its process, nor before the "
            "`effective` date of the SOTK in force.",
        ),
        basis=text(
            "PermenPANRB 35/2012 tentang Pedoman Penyusunan Standar Operasional Prosedur "
            "Administrasi Pemerintahan: SOP dimonitor, dievaluasi, dan disempurnakan ketika "
            "organisasi atau prosesnya berubah; PermenPANRB 19/2018 tentang Penyusunan Peta "
            "Proses Bisnis Instansi Pemerintah: SOP diturunkan dari peta yang ditetapkan.",
            "PermenPANRB 35/2012 on guidelines for SOPs of government administration: SOPs "
            "are monitored, evaluated and improved when the organisation or its processes "
            "change; PermenPANRB 19/2018 on preparing business-process maps: SOPs derive from "
            "the adopted map.",
        ),
        rationale=text(
            "SOP yang disusun sebelum peta atau SOTK terakhir mungkin menjalankan proses lama "
            "atau menyebut unit yang sudah berubah: perlu ditinjau.",
            "An SOP written before the latest map or SOTK may describe the old process or name "
            "units that have since changed: it needs a review.",
        ),
        fix=text(
            "Tinjau SOP terhadap peta dan SOTK terbaru; bila sudah sesuai, catat tanggal "
            "tinjauan di `revised`, bila tidak, terbitkan revisi.",
            "Review the SOP against the latest map and SOTK; if it still fits, record the "
            "review date in `revised`, otherwise issue a revision.",
        ),
        example_fail="made: 2024-03-01   # map adopted 2025-06-01",
        example_pass="made: 2024-03-01\nrevised: 2025-07-15",
        applies_to="sop",
        source="plugins/sop/freshness.py",
    )

    MAP = text("SOP {sop} ({date}) lebih tua dari peta {map} yang ditetapkan {adopted}; tinjau SOP",
               "SOP {sop} ({date}) is older than map {map}, adopted {adopted}; review the SOP")
    SOTK = text("SOP {sop} ({date}) lebih tua dari SOTK yang berlaku {sotk} ({effective}); "
                "tinjau SOP",
                "SOP {sop} ({date}) is older than the SOTK in force {sotk} ({effective}); "
                "review the SOP")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        linked = processes_by_sop(ws)
        for entry in sop_entries(ws):
            date: dt.date | None = entry.sop.revised or entry.sop.made
            if date is None:
                continue  # SOP001 reports the missing date
            ref = ref_sop(ws, entry, linked)
            out.applicable(ref)
            maps = {pe.map.code: pe.map for pe in sop_processes(ws, entry, linked)}
            for code, m in sorted(maps.items()):
                if m.adopted and m.adopted.date and date < m.adopted.date:
                    out.finding(ref, self.MAP, {"sop": entry.sop.id, "date": date.isoformat(),
                                                "map": code,
                                                "adopted": m.adopted.date.isoformat()},
                                evidence={"map": code})
            sotk = ws.sotk
            if sotk is not None and sotk.effective and date < sotk.effective:
                out.finding(ref, self.SOTK, {"sop": entry.sop.id, "date": date.isoformat(),
                                             "sotk": sotk.id,
                                             "effective": sotk.effective.isoformat()},
                            evidence={"sotk": sotk.id})
