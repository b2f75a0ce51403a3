"""OVL004: within one OPD, two processes in different maps duplicate each other."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .matcher import DEFAULT_THRESHOLD
from .pairs import process_pairs, report_pair
from .workspace import related


class DuplicateWithinOpd(PythonRule):
    info = RuleInfo(
        id="OVL004",
        rule_set="overlap",
        severity="info",
        title=text("Proses ganda dalam satu OPD", "Duplicate processes within one OPD"),
        checks=text(
            "Dua proses dari OPD yang sama, pada peta yang berbeda, mengerjakan pekerjaan yang "
            "sama (kemiripan nama, keluaran dan pelanggan seperti OVL001, termasuk ejaan yang "
            "berbeda seperti Izin Praktik / Izin Praktek Perawat dan izin lama di samping "
            "penggantinya seperti IMB / PBG menurut PP 16/2021). Proses induk dan "
            "anaknya (proses yang dirinci oleh peta di bawahnya) memang berbagi kata dan tidak "
            "dilaporkan; dua proses dalam satu peta juga tidak. Satu pemeriksaan per proses "
            "yang bernama dan berpemilik.",
            "Two processes of the same OPD, in different maps, do the same work (name, output "
            "and customer similarity as in OVL001, including spelling variants such as Izin "
            "Praktik / Izin Praktek Perawat and an old permit beside its replacement such as IMB "
            "/ PBG under PP 16/2021). A parent process and its children (the "
            "processes of the map that details it) share words by design and are not reported; "
            "neither are two processes of one map. One check per named process with an owner.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "peta tingkat 0 sampai n merinci proses bertahap, sehingga satu proses dicatat "
            "sekali; proses yang tumpang tindih memperlambat organisasi.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): maps of level 0 to n break "
            "processes down step by step, so one process is recorded once; overlapping "
            "processes slow an organisation down.",
        ),
        rationale=text(
            "Proses yang sama di dua peta satu OPD biasanya salinan yang tertinggal saat peta "
            "disusun ulang; keduanya akan diperbarui secara berbeda dan saling bertentangan.",
            "The same process in two maps of one OPD is usually a copy left behind when maps were "
            "reorganised; the copies will be updated differently and contradict each other.",
        ),
        fix=text(
            "Pertahankan proses di peta tempatnya semestinya dan hapus salinannya, atau rujuk "
            "proses itu lewat `next` dari peta lainnya.",
            "Keep the process in the map where it belongs and delete the copy, or refer to it "
            "through `next` from the other map.",
        ),
        example_fail=(
            "# peta/disdik/PB.06.01.yaml\n- code: PB.06.01.02\n"
            "  name: Pendaftaran dan Seleksi Calon Peserta Didik\n"
            "# peta/disdik/PB.06.02.yaml\n- code: PB.06.02.04\n"
            "  name: Pelaksanaan Seleksi dan Pendaftaran Calon Peserta Didik"
        ),
        example_pass=(
            "# peta/disdik/PB.06.yaml\n- code: PB.06.01\n  name: Penerimaan Peserta Didik Baru\n"
            "# peta/disdik/PB.06.01.yaml (details PB.06.01: parent and child, not a duplicate)\n"
            "- code: PB.06.01.02\n  name: Pendaftaran dan Seleksi Calon Peserta Didik"
        ),
        applies_to="process",
        options={"threshold": DEFAULT_THRESHOLD},
        source="plugins/overlap/ovl004.py",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        for pair, entries, limit in process_pairs(ctx, out, DEFAULT_THRESHOLD, "same_owner"):
            if not related(ws, pair.a_code, pair.b_code):  # parent and child are no duplicates
                report_pair(ws, out, pair, entries, limit)
