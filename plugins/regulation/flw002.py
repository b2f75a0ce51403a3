"""FLW002: every step is reachable from the start and can reach an end."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .flowgraph import StepGraph, step_ref


class StepsReachable(PythonRule):
    info = RuleInfo(
        id="FLW002",
        rule_set="regulation",
        severity="error",
        title=text("Setiap langkah terjangkau dari mulai dan sampai ke selesai",
                   "Every step is reachable from the start and reaches an end"),
        checks=text(
            "Pada setiap peta lintas fungsi yang memiliki langkah mulai dan selesai, setiap "
            "langkah dapat dicapai dari langkah mulai melalui `flows` dan dari setiap langkah "
            "ada jalan menuju langkah selesai (tidak ada langkah yatim atau jalan buntu).",
            "In every cross-functional map that has a start and an end step, every step can be "
            "reached from the start through `flows`, and every step has a path to an end step "
            "(no orphan steps, no dead ends).",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "prinsip \"urutan\", kegiatan tersusun menurut waktu dan tempat. Alur tanpa langkah "
            "yatim dan tanpa jalan buntu adalah praktik baik pemodelan BPMN.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): the \"sequence\" principle, "
            "activities are ordered in time and space. A flow with no orphan steps and no "
            "dead ends is good practice in BPMN modelling.",
        ),
        rationale=text(
            "Langkah yang tidak terjangkau tidak pernah dikerjakan; langkah buntu membuat "
            "layanan berhenti tanpa hasil. Keduanya biasanya tanda alur yang lupa digambar.",
            "A step that cannot be reached is never done; a dead end stops the service without "
            "a result. Both usually mean a flow was forgotten.",
        ),
        fix=text(
            "Tambahkan `flows` yang menghubungkan langkah tersebut dengan langkah sebelumnya "
            "dan sesudahnya, atau hapus langkah yang memang tidak dipakai.",
            "Add `flows` that link the step to the steps before and after it, or delete a step "
            "that is really not used.",
        ),
        example_fail=(
            "steps:\n  - {id: s1, type: start}\n  - {id: s2, type: task}\n"
            "  - {id: s3, type: task}   # no flow reaches s3\n  - {id: s4, type: end}\n"
            "flows:\n  - {from: s1, to: s2}\n  - {from: s2, to: s4}"
        ),
        example_pass=(
            "steps:\n  - {id: s1, type: start}\n  - {id: s2, type: task}\n"
            "  - {id: s3, type: task}\n  - {id: s4, type: end}\n"
            "flows:\n  - {from: s1, to: s2}\n  - {from: s2, to: s3}\n  - {from: s3, to: s4}"
        ),
        applies_to="step",
        source="plugins/regulation/flw002.py",
    )

    UNREACHABLE = text(
        "Langkah {step} pada peta lintas fungsi proses {process} tidak dapat dicapai dari "
        "langkah mulai",
        "Step {step} of the cross-functional map of process {process} cannot be reached from "
        "the start step",
    )
    DEAD_END = text(
        "Langkah {step} pada peta lintas fungsi proses {process} buntu: tidak ada jalan ke "
        "langkah selesai",
        "Step {step} of the cross-functional map of process {process} is a dead end: no path "
        "leads to an end step",
    )
    BOTH = text(
        "Langkah {step} pada peta lintas fungsi proses {process} terlepas: tidak terjangkau "
        "dari mulai dan tidak sampai ke selesai",
        "Step {step} of the cross-functional map of process {process} is cut off: not reached "
        "from the start and not leading to an end",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        for entry in ws.lf_maps:
            graph = StepGraph.of(entry)
            starts, ends = graph.of_type("start"), graph.of_type("end")
            if not starts or not ends:
                continue  # FLW001 reports the missing start or end; reachability is undefined
            from_start = graph.reach(starts)
            to_end = graph.reach(ends, forward=False)
            for sid, step in graph.steps.items():
                ref = step_ref(ws, entry, step)
                out.applicable(ref)
                reached, leads = sid in from_start, sid in to_end
                if reached and leads:
                    continue
                message = self.BOTH if not (reached or leads) else (
                    self.UNREACHABLE if not reached else self.DEAD_END)
                out.finding(ref, message, {"step": sid, "process": entry.lf.process},
                            evidence={"reachable_from_start": reached, "reaches_end": leads})
