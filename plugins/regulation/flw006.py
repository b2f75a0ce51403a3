"""FLW006: no duplicate flow between the same two steps."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .flowgraph import flow_ref


class NoDuplicateFlows(PythonRule):
    info = RuleInfo(
        id="FLW006",
        rule_set="regulation",
        severity="warning",
        title=text("Tidak ada alur ganda antara dua langkah yang sama",
                   "No duplicate flow between the same two steps"),
        checks=text(
            "Pada setiap peta lintas fungsi, pasangan `from`/`to` yang sama tidak ditulis dua "
            "kali dalam `flows`. Alur kedua dan seterusnya dilaporkan.",
            "In every cross-functional map, the same `from`/`to` pair is not written twice in "
            "`flows`. The second and later copies are reported.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "prinsip \"sederhana namun representatif\". Alur ganda antara dua langkah yang sama "
            "adalah kesalahan pemodelan (praktik baik BPMN).",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): the principle \"simple yet "
            "representative\". A duplicated flow between the same two steps is a modelling "
            "mistake (good practice in BPMN).",
        ),
        rationale=text(
            "Alur ganda tidak menambah arti, tetapi membuat peta sulit dibaca dan menyembunyikan "
            "maksud yang sebenarnya (misalnya dua label keputusan yang seharusnya menuju langkah "
            "berbeda).",
            "A duplicate flow adds no meaning but makes the map harder to read and can hide the "
            "real intent (for example two decision labels that should lead to different steps).",
        ),
        fix=text(
            "Hapus alur ganda; bila dua jawaban keputusan memang menuju langkah yang sama, "
            "tulis satu alur dengan label gabungan.",
            "Delete the duplicate flow; if two answers of a decision really lead to the same "
            "step, write one flow with a combined label.",
        ),
        example_fail="flows:\n  - {from: s1, to: s2}\n  - {from: s1, to: s2}",
        example_pass="flows:\n  - {from: s1, to: s2}\n  - {from: s2, to: s3}",
        applies_to="flow",
        source="plugins/regulation/flw006.py",
    )

    MESSAGE = text(
        "Alur {source} -> {target} ditulis {count} kali pada peta lintas fungsi proses {process}",
        "Flow {source} -> {target} is written {count} times in the cross-functional map of "
        "process {process}",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        for entry in ws.lf_maps:
            flows = entry.lf.flows
            counts: dict[tuple[str, str], int] = {}
            for flow in flows:
                counts[(flow.from_, flow.to)] = counts.get((flow.from_, flow.to), 0) + 1
            seen: set[tuple[str, str]] = set()
            for flow in flows:
                pair = (flow.from_, flow.to)
                ref = flow_ref(ws, entry, flow)
                out.applicable(ref)
                if pair in seen:
                    out.finding(ref, self.MESSAGE,
                                {"source": flow.from_, "target": flow.to, "count": counts[pair],
                                 "process": entry.lf.process},
                                evidence={"first_line": next(
                                    f.line for f in flows if (f.from_, f.to) == pair)})
                seen.add(pair)
