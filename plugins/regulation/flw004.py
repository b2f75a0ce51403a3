"""FLW004: a cross-functional map refers only to a process, steps and lanes that exist; step ids
are unique."""

from __future__ import annotations

import difflib

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .flowgraph import flow_ref, step_ref


class FlowReferencesExist(PythonRule):
    info = RuleInfo(
        id="FLW004",
        rule_set="regulation",
        severity="error",
        title=text("Alur dan langkah merujuk langkah dan lajur yang ada",
                   "Flows and steps refer to steps and lanes that exist"),
        checks=text(
            "Pada setiap peta lintas fungsi: `process` adalah kode proses yang ada pada suatu peta "
            "proses, `from` dan `to` setiap alur adalah id langkah yang ada, `lane` setiap "
            "langkah (bila ditulis) adalah id lajur yang ada, dan id langkah tidak dipakai dua "
            "kali.",
            "In every cross-functional map: `process` is the code of a process on some process "
            "map, each flow's `from` and `to` are ids of existing steps, each step's `lane` "
            "(when written) is the id of an existing lane, and no step id is used twice.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "peta lintas fungsi menguraikan satu proses dalam peta dan menunjukkan unit mana "
            "mengerjakan langkah mana. Alur yang tidak menggantung dan id langkah yang unik "
            "adalah praktik baik pemodelan BPMN.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): a cross-functional map "
            "details one process of the maps and shows which unit does which step. Flows that "
            "do not dangle and unique step ids are good practice in BPMN modelling.",
        ),
        rationale=text(
            "Rujukan ke langkah atau lajur yang tidak ada (biasanya salah ketik) memutus alur "
            "dan menyembunyikan pelaksana; id ganda membuat alur menunjuk dua langkah sekaligus.",
            "A reference to a step or lane that does not exist (usually a typo) breaks the flow "
            "and hides the executor; a duplicated id makes a flow point at two steps at once.",
        ),
        fix=text(
            "Perbaiki ejaan id pada `from`, `to`, atau `lane` agar sama dengan id di `steps` "
            "atau `lanes`, dan beri setiap langkah id yang unik.",
            "Correct the id in `from`, `to` or `lane` to match an id in `steps` or `lanes`, "
            "and give every step a unique id.",
        ),
        example_fail=(
            "lanes:\n  - {id: fo, unit: disdukcapil.dafduk}\n"
            "steps:\n  - {id: s2, lane: front, type: task}   # no lane `front`\n"
            "flows:\n  - {from: s2, to: s9}                   # no step s9"
        ),
        example_pass=(
            "lanes:\n  - {id: fo, unit: disdukcapil.dafduk}\n"
            "steps:\n  - {id: s2, lane: fo, type: task}\n  - {id: s3, lane: fo, type: end}\n"
            "flows:\n  - {from: s2, to: s3}"
        ),
        applies_to="lf-map, step, flow",
        source="plugins/regulation/flw004.py",
    )

    DUPLICATE = text(
        "Id langkah {step} dipakai lebih dari sekali pada peta lintas fungsi proses {process}",
        "Step id {step} is used more than once in the cross-functional map of process {process}",
    )
    UNKNOWN_LANE = text(
        "Langkah {step} pada peta lintas fungsi proses {process} merujuk lajur `{lane}` yang "
        "tidak ada",
        "Step {step} of the cross-functional map of process {process} refers to lane `{lane}`, "
        "which does not exist",
    )
    UNKNOWN_STEP = text(
        "Alur {source} -> {target} pada peta lintas fungsi proses {process} merujuk langkah "
        "yang tidak ada: {missing}",
        "Flow {source} -> {target} of the cross-functional map of process {process} refers to "
        "steps that do not exist: {missing}",
    )

    UNKNOWN_PROCESS = text(
        "Peta lintas fungsi merinci proses {process} yang tidak ada pada peta proses mana pun"
        "{hint}",
        "The cross-functional map details process {process}, which is on no process map{hint}",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        for entry in ws.lf_maps:
            lf = entry.lf
            map_ref = ws.ref_lf(entry)
            out.applicable(map_ref)
            if lf.process not in ws.processes_by_code:
                close = difflib.get_close_matches(lf.process, list(ws.processes_by_code), n=3)
                out.finding(map_ref, self.UNKNOWN_PROCESS,
                            {"process": lf.process,
                             "hint": f" ({', '.join(close)}?)" if close else ""},
                            evidence={"process": lf.process, "closest": close})
            lanes = {lane.id for lane in lf.lanes}
            step_ids: set[str] = set()
            # a step's or flow's reference has its map's map and unit, so the map's reference
            # tallies its applicable check; the element's own is built for a finding only
            for step in lf.steps:
                out.applicable(map_ref)
                if step.id in step_ids:
                    out.finding(step_ref(ws, entry, step), self.DUPLICATE,
                                {"step": step.id, "process": lf.process, "lane": step.lane},
                                evidence={"line": step.line})
                elif step.lane and step.lane not in lanes:
                    out.finding(step_ref(ws, entry, step), self.UNKNOWN_LANE,
                                {"step": step.id, "process": lf.process, "lane": step.lane},
                                evidence={"lane": step.lane, "lanes": sorted(lanes)})
                step_ids.add(step.id)
            for flow in lf.flows:
                out.applicable(map_ref)
                missing = [s for s in dict.fromkeys((flow.from_, flow.to)) if s not in step_ids]
                if missing:
                    out.finding(flow_ref(ws, entry, flow), self.UNKNOWN_STEP,
                                {"source": flow.from_, "target": flow.to, "process": lf.process,
                                 "missing": ", ".join(missing)},
                                evidence={"unknown_steps": missing})
