"""FLW003: a decision has at least two outgoing flows, each labelled."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .flowgraph import step_ref


class DecisionsBranch(PythonRule):
    info = RuleInfo(
        id="FLW003",
        rule_set="regulation",
        severity="error",
        title=text("Keputusan bercabang dua atau lebih, setiap cabang berlabel",
                   "A decision has two or more labelled branches"),
        checks=text(
            "Setiap langkah `type: decision` memiliki paling sedikit dua alur keluar, dan "
            "setiap alur keluarnya memiliki `label` (misalnya Ya/Tidak).",
            "Every step of `type: decision` has at least two outgoing flows, and each of them "
            "has a `label` (for example Ya/Tidak).",
        ),
        basis=text(
            "Praktik baik: simbol keputusan dalam bagan alir SOP menurut PermenPANRB 35/2012 "
            "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi "
            "Pemerintahan memiliki paling sedikit dua cabang (mis. Ya/Tidak), dan setiap "
            "cabang gerbang BPMN diberi label. Tabel simbol SOP belum dicocokkan dengan "
            "naskah resmi peraturan itu.",
            "Good practice: the decision symbol of an SOP flowchart under PermenPANRB 35/2012 "
            "on guidelines for SOPs of government administration (Pedoman Penyusunan SOP "
            "Administrasi Pemerintahan) has at least two branches (e.g. Yes/No), and every "
            "branch of a BPMN gateway is labelled. The SOP symbol table has not been checked "
            "against the official text of that regulation.",
        ),
        rationale=text(
            "Keputusan dengan satu cabang bukan keputusan; cabang tanpa label membuat pelaksana "
            "tidak tahu jalan mana yang diambil untuk jawaban apa.",
            "A decision with one branch is no decision; an unlabelled branch leaves the executor "
            "guessing which way to go for which answer.",
        ),
        fix=text(
            "Gambarkan alur untuk setiap jawaban keputusan dan beri `label` pada setiap alur "
            "keluar; bila hanya ada satu jalan, ubah langkahnya menjadi `type: task`.",
            "Draw a flow for every answer of the decision and give each outgoing flow a "
            "`label`; if there is only one way on, make the step `type: task`.",
        ),
        example_fail=(
            "steps:\n  - {id: s3, lane: fo, type: decision, name: \"Berkas lengkap?\"}\n"
            "flows:\n  - {from: s3, to: s4}"
        ),
        example_pass=(
            "steps:\n  - {id: s3, lane: fo, type: decision, name: \"Berkas lengkap?\"}\n"
            "flows:\n  - {from: s3, to: s4, label: Ya}\n  - {from: s3, to: s1, label: Tidak}"
        ),
        applies_to="step",
        source="plugins/regulation/flw003.py",
    )

    FEW = text(
        "Keputusan {step} pada peta lintas fungsi proses {process} hanya memiliki {count} alur "
        "keluar; perlu paling sedikit 2",
        "Decision {step} of the cross-functional map of process {process} has only {count} "
        "outgoing flows; at least 2 are needed",
    )
    UNLABELLED = text(
        "Keputusan {step} pada peta lintas fungsi proses {process} memiliki alur keluar tanpa "
        "label ke: {targets}",
        "Decision {step} of the cross-functional map of process {process} has unlabelled "
        "outgoing flows to: {targets}",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        for entry in ws.lf_maps:
            seen: set[str] = set()
            for step in entry.lf.steps:
                if step.type != "decision" or step.id in seen:
                    continue  # a duplicated step id is FLW004's finding
                seen.add(step.id)
                ref = step_ref(ws, entry, step)
                out.applicable(ref)
                outgoing = [f for f in entry.lf.flows if f.from_ == step.id]
                values = {"step": step.id, "process": entry.lf.process, "count": len(outgoing)}
                unlabelled = [f.to for f in outgoing if f.label is None or not str(f.label).strip()]
                if len(outgoing) < 2:
                    out.finding(ref, self.FEW, values, evidence={"outgoing": len(outgoing)})
                elif unlabelled:
                    out.finding(ref, self.UNLABELLED, values | {"targets": ", ".join(unlabelled)},
                                evidence={"unlabelled_to": unlabelled})
