"""ALN006: sub-kegiatan codes have the nomenclature form and belong to the owner OPD's Renstra."""

from __future__ import annotations

import re
from collections import defaultdict

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo
from probis.engine.workspace import ProcessEntry, Workspace

# U.BB.PP.K.KK.SSSS: urusan, bidang urusan, program, kegiatan (K.KK), sub kegiatan
SUBKEGIATAN_FORM = re.compile(r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}$")


class SubkegiatanNomenclature(PythonRule):
    info = RuleInfo(
        id="ALN006",
        rule_set="alignment",
        severity="warning",
        title=text("Kode sub kegiatan sesuai nomenklatur dan Renstra OPD",
                   "Sub-kegiatan codes follow the nomenclature and the OPD's Renstra"),
        checks=text(
            "Setiap kode di `subkegiatan` proses berbentuk U.BB.PP.K.KK.SSSS (mis. "
            "2.12.02.2.01.0001) dan tercantum dalam program Renstra OPD pemilik proses "
            "(`programs[].kegiatan[].subkegiatan[].code`).",
            "Every code in a process's `subkegiatan` has the form U.BB.PP.K.KK.SSSS (e.g. "
            "2.12.02.2.01.0001) and appears in the programs of the owner OPD's Renstra "
            "(`programs[].kegiatan[].subkegiatan[].code`).",
        ),
        basis=text(
            "Permendagri 90/2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan "
            "Pembangunan dan Keuangan Daerah dan Kepmendagri 050-5889/2021 (pemutakhiran "
            "klasifikasi, kodefikasi dan nomenklatur hasil verifikasi dan validasi) "
            "sebagaimana diubah dengan Kepmendagri 900.1.15.5-3406/2024: kode sub kegiatan "
            "berpola urusan.bidang.program.kegiatan.sub kegiatan (U.BB.PP.K.KK.SSSS); "
            "program, kegiatan dan sub kegiatan sebuah OPD tercantum dalam Renstra Perangkat "
            "Daerah-nya (Permendagri 86/2017).",
            "Permendagri 90/2019 on the classification, coding and nomenclature of regional "
            "development planning and finance and Kepmendagri 050-5889/2021 (the nomenclature "
            "reissued after verification and validation) as amended by Kepmendagri "
            "900.1.15.5-3406/2024: a sub-activity code follows "
            "affair.field.program.activity.sub-activity (U.BB.PP.K.KK.SSSS); an OPD's "
            "programs, activities and sub-activities are listed in its Renstra (Permendagri "
            "86/2017).",
        ),
        rationale=text(
            "Kode sub kegiatan mengaitkan proses dengan anggaran. Kode yang salah bentuk tidak "
            "dapat dicocokkan dengan SIPD; kode yang tidak ada di Renstra OPD pemilik berarti "
            "proses dibiayai dari program OPD lain atau kodenya keliru.",
            "The sub-kegiatan code links a process to the budget. A malformed code cannot be "
            "matched in SIPD; a code missing from the owner OPD's Renstra means the process is "
            "funded from another OPD's program, or the code is wrong.",
        ),
        fix=text(
            "Tulis kode lengkap menurut nomenklatur (U.BB.PP.K.KK.SSSS, dengan nol di depan), "
            "dan pastikan sub kegiatan itu tercantum di Renstra OPD pemilik; bila milik OPD lain, "
            "tinjau pemilik proses.",
            "Write the full nomenclature code (U.BB.PP.K.KK.SSSS, with leading zeros) and make "
            "sure the sub-kegiatan is listed in the owner OPD's Renstra; if it belongs to "
            "another OPD, review the process owner.",
        ),
        example_fail="subkegiatan: [2.12.2.2.1.1]        # not U.BB.PP.K.KK.SSSS",
        example_pass="subkegiatan: [\"2.12.02.2.01.0001\"]",
        applies_to="process",
        source="plugins/alignment/aln006.py",
    )

    MESSAGE = text("Proses {process}: kode sub kegiatan bermasalah: {detail_id}",
                   "Process {process}: sub-kegiatan codes with problems: {detail_en}")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        by_unit = renstra_subkegiatan(ws)
        for entry in ws.processes:
            codes = list(dict.fromkeys(entry.process.subkegiatan))
            if not codes:
                continue
            ref = ws.ref_process(entry)
            out.applicable(ref)
            holder = renstra_holder(ws, entry, by_unit)
            known = by_unit.get(holder) if holder else None
            malformed = [c for c in codes if not SUBKEGIATAN_FORM.match(c)]
            if not malformed and known is not None and known.issuperset(codes):
                continue  # the usual case: every code well formed and in its Renstra
            opd = holder or ws.process_unit(entry)
            foreign = [c for c in codes if c not in malformed and known is not None
                       and c not in known]
            # an owner the SOTK does not know is REG008's finding (usually a typo): which
            # Renstra it answers to cannot be told, so "no Renstra" would be a knock-on
            owner_unknown = any(o not in ws.units for o in entry.process.owners)
            no_renstra = [c for c in codes if c not in malformed and known is None
                          and not owner_unknown]
            parts_id, parts_en = [], []
            if malformed:
                parts_id.append(f"{', '.join(malformed)} tidak berbentuk U.BB.PP.K.KK.SSSS")
                parts_en.append(f"{', '.join(malformed)} not of the form U.BB.PP.K.KK.SSSS")
            if foreign:
                parts_id.append(f"{', '.join(foreign)} tidak ada dalam program Renstra {opd}")
                parts_en.append(f"{', '.join(foreign)} not in the Renstra programs of {opd}")
            if no_renstra:
                parts_id.append(f"{', '.join(no_renstra)} tidak dapat dicocokkan: OPD "
                                f"{opd or '-'} tidak memiliki Renstra")
                parts_en.append(f"{', '.join(no_renstra)} cannot be matched: OPD "
                                f"{opd or '-'} has no Renstra")
            if parts_id:
                out.finding(ref, self.MESSAGE, {
                    "process": entry.process.code, "detail_id": "; ".join(parts_id),
                    "detail_en": "; ".join(parts_en)},
                    evidence={"malformed": malformed, "not_in_renstra": foreign,
                              "no_renstra": no_renstra, "opd": opd})


def renstra_holder(ws: Workspace, entry: ProcessEntry, by_unit: dict[str, set[str]]) -> str | None:
    """The nearest unit at or above the process owner (else the map's unit) that has a Renstra.

    Walking up the SOTK rather than taking ``opd_of``: a Bagian of the Sekretariat Daerah is
    scored as a unit of its own, but its programs are in the Setda Renstra.
    """
    owners = entry.process.owners
    current = owners[0] if len(owners) == 1 else entry.map.unit
    seen: set[str] = set()
    while current and current not in seen:
        if current in by_unit:
            return current
        seen.add(current)
        unit = ws.units.get(current)
        current = unit.parent if unit else None
    return None


def renstra_subkegiatan(ws: Workspace) -> dict[str, set[str]]:
    """Unit of a Renstra -> every sub-kegiatan code in the programs of its Renstra(s)."""
    out: dict[str, set[str]] = defaultdict(set)
    for renstra, _ in ws.renstras:
        if not renstra.unit:
            continue
        codes = out[renstra.unit]
        for program in renstra.programs:
            for kegiatan in program.kegiatan:
                codes.update(sk.code for sk in kegiatan.subkegiatan)
    return dict(out)
