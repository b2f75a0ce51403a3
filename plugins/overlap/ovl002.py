"""OVL002: one sub-kegiatan code claimed by processes of two different OPDs."""

from __future__ import annotations

from collections import defaultdict

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo
from probis.engine.workspace import ProcessEntry, Workspace


def shared_by_design(code: str) -> bool:
    """Codes every OPD of a kind legitimately uses: the support program ``x.xx.01`` (each OPD's
    own secretariat, staffing, finance) and the territorial affairs ``7.xx`` that every
    kecamatan budgets for its own area. Malformed codes are ALN006's finding, not exempt."""
    parts = code.split(".")
    return parts[0] == "7" or (len(parts) >= 3 and parts[2] == "01")


class SubKegiatanClaimedTwice(PythonRule):
    info = RuleInfo(
        id="OVL002",
        rule_set="overlap",
        severity="warning",
        title=text("Sub-kegiatan yang sama diklaim dua OPD",
                   "The same sub-kegiatan claimed by two OPDs"),
        checks=text(
            "Satu kode sub-kegiatan (`subkegiatan`) dipakai oleh proses dari dua OPD atau lebih. "
            "Dikecualikan kode yang memang dipakai bersama: program penunjang `x.xx.01` milik "
            "setiap OPD dan kode kewilayahan `7.xx` yang dipakai setiap kecamatan. Satu "
            "pemeriksaan per kode sub-kegiatan yang tidak dikecualikan; temuan dicatat pada kode "
            "itu, di berkas proses berkode terkecil yang memakainya.",
            "One sub-kegiatan code (`subkegiatan`) is used by processes of two or more OPDs. "
            "Codes shared by design are exempt: each OPD's support program `x.xx.01` and the "
            "territorial codes `7.xx` every kecamatan uses. One check per non-exempt "
            "sub-kegiatan code; the finding sits on the code, in the file of the lowest-coded "
            "process that uses it.",
        ),
        basis=text(
            "Permendagri 90/2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan "
            "Pembangunan dan Keuangan Daerah dan Kepmendagri 050-5889/2021 (pemutakhiran "
            "klasifikasi, kodefikasi dan nomenklatur hasil verifikasi dan validasi) "
            "sebagaimana diubah dengan Kepmendagri 900.1.15.5-3406/2024: setiap sub kegiatan "
            "berada di bawah program suatu urusan dan dilaksanakan oleh perangkat daerah "
            "pengampu urusan itu; sub kegiatan yang sama dianggarkan di dua OPD adalah tanda "
            "duplikasi fungsi yang ditanyakan lembar penilaian mandiri reformasi birokrasi "
            "(PMPRB).",
            "Permendagri 90/2019 on the classification, coding and nomenclature of regional "
            "development planning and finance and Kepmendagri 050-5889/2021 (the nomenclature "
            "reissued after verification and validation) as amended by Kepmendagri "
            "900.1.15.5-3406/2024: every sub-activity sits under a program of one affair and "
            "is carried out by the OPD in charge of that affair; the same sub-activity "
            "budgeted in two OPDs signals the duplicated function that the "
            "bureaucratic-reform self-assessment sheet (PMPRB) asks about.",
        ),
        rationale=text(
            "Proses yang menunjuk sub-kegiatan OPD lain berarti pekerjaan dan anggarannya "
            "tercatat di dua tempat, atau peta salah menunjuk sumber dananya.",
            "A process pointing at another OPD's sub-activity means the work and its budget are "
            "recorded in two places, or the map names the wrong source of funds.",
        ),
        fix=text(
            "Biarkan sub-kegiatan hanya pada proses OPD pengampu urusannya; proses OPD lain "
            "menunjuk sub-kegiatannya sendiri (lihat Renstra OPD tersebut) atau menjadi peserta "
            "proses OPD pengampu.",
            "Keep the sub-kegiatan only on processes of the OPD in charge of the affair; the "
            "other OPD's process names its own sub-kegiatan (see that OPD's Renstra) or becomes "
            "a participant of the owning OPD's process.",
        ),
        example_fail=(
            "# peta/dpmptsp/PB.09.01.yaml\n- code: PB.09.01.02\n  owner: dpmptsp.perizinan\n"
            "  subkegiatan: [2.18.04.2.01.0001]\n"
            "# peta/dputr/PB.08.02.yaml\n- code: PB.08.02.02\n  owner: dputr.tataruang\n"
            "  subkegiatan: [2.18.04.2.01.0001]"
        ),
        example_pass=(
            "# both OPDs use their own support program code: not an overlap\n"
            "- code: PB.09.04\n  owner: dpmptsp\n  subkegiatan: [2.18.01.2.05.0003]\n"
            "- code: PB.08.04\n  owner: dputr\n  subkegiatan: [1.03.01.2.05.0003]"
        ),
        applies_to="subkegiatan",
        source="plugins/overlap/ovl002.py",
    )

    MESSAGE = text(
        "Sub-kegiatan {code} diklaim oleh proses dari {n} OPD: {claims}",
        "Sub-kegiatan {code} is claimed by processes of {n} OPDs: {claims}",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        claims: dict[str, dict[str, list[ProcessEntry]]] = defaultdict(lambda: defaultdict(list))
        for entry in ws.processes:
            opd = ws.process_unit(entry)
            if opd is None:
                continue
            for code in dict.fromkeys(entry.process.subkegiatan):
                if not shared_by_design(code):
                    claims[code][opd].append(entry)
        for code in sorted(claims):
            by_opd = claims[code]
            first = min((e for es in by_opd.values() for e in es), key=lambda e: e.process.code)
            ref = self._ref(ws, first, code)
            out.applicable(ref)
            if len(by_opd) < 2:
                continue
            evidence = {
                "subkegiatan": code,
                "opds": [
                    {"opd": opd, "opd_name": ws.unit_name(opd),
                     "processes": sorted(e.process.code for e in es),
                     "files": sorted({e.file for e in es})}
                    for opd, es in sorted(by_opd.items())
                ],
            }
            described = "; ".join(
                f"{o['opd']} ({', '.join(o['processes'])})" for o in evidence["opds"])
            out.finding(ref, self.MESSAGE, {"code": code, "n": len(by_opd), "claims": described},
                        evidence=evidence)

    @staticmethod
    def _ref(ws: Workspace, entry: ProcessEntry, code: str) -> ElementRef:
        process_ref = ws.ref_process(entry)
        return ElementRef(element=code, kind="subkegiatan", file=process_ref.file,
                          line=process_ref.line, map=process_ref.map, unit=process_ref.unit)
