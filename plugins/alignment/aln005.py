"""ALN005: Renstra sasaran support the RPJMD, and each Renstra points at the RPJMD in force."""

from __future__ import annotations

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .cascade import ref_renstra


class RenstraLinkedToRpjmd(PythonRule):
    info = RuleInfo(
        id="ALN005",
        rule_set="alignment",
        severity="error",
        title=text("Renstra terkait dengan RPJMD yang berlaku",
                   "Renstra are linked to the RPJMD in force"),
        checks=text(
            "Setiap sasaran Renstra mencantumkan paling sedikit satu sasaran RPJMD di `supports`, "
            "dan setiap Renstra menyebut RPJMD yang berlaku (`rpjmd:` sama dengan id RPJMD di "
            "probis.yaml).",
            "Every Renstra sasaran lists at least one RPJMD sasaran in `supports`, and every "
            "Renstra names the RPJMD in force (`rpjmd:` equals the id of the RPJMD in "
            "probis.yaml).",
        ),
        basis=text(
            "Permendagri 86/2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi "
            "Pembangunan Daerah (RPJMD dan Renstra Perangkat Daerah): Renstra Perangkat "
            "Daerah disusun berpedoman pada RPJMD dan mengikuti periodenya. PermenPANRB "
            "19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: perubahan "
            "arah strategis yang mengubah tugas dan fungsi memicu penataan peta; RPJMD baru "
            "adalah pemicu itu dalam praktik (praktik baik).",
            "Permendagri 86/2017 on the planning, control and evaluation of regional "
            "development (RPJMD and Renstra Perangkat Daerah): an OPD's Renstra is drawn up "
            "from the RPJMD and follows its period. PermenPANRB 19/2018 on preparing "
            "business-process maps of government agencies (Penyusunan Peta Proses Bisnis "
            "Instansi Pemerintah): a change of strategic direction that changes duties and "
            "functions triggers reworking the maps; a new RPJMD is such a trigger in practice "
            "(good practice).",
        ),
        rationale=text(
            "Sasaran Renstra yang tidak mendukung RPJMD memutus rantai dari proses ke visi; "
            "Renstra yang masih merujuk RPJMD lama berarti proses OPD itu diselaraskan dengan "
            "rencana yang sudah tidak berlaku.",
            "A Renstra sasaran that supports no RPJMD sasaran cuts the chain from process to "
            "visi; a Renstra still pointing at an old RPJMD means the OPD's processes are aligned "
            "with a plan that no longer applies.",
        ),
        fix=text(
            "Isi `supports:` sasaran Renstra dengan id sasaran RPJMD; perbarui Renstra untuk "
            "periode RPJMD yang berlaku dan tulis id-nya di `rpjmd:`.",
            "Fill in the Renstra sasaran's `supports:` with RPJMD sasaran ids; update the Renstra "
            "to the period of the RPJMD in force and write its id in `rpjmd:`.",
        ),
        example_fail="kind: renstra\nid: renstra-dinkes-2021-2026\nrpjmd: rpjmd-2021-2026   "
                     "# the workspace's RPJMD is rpjmd-2025-2029",
        example_pass="kind: renstra\nid: renstra-dinkes-2025-2029\nrpjmd: rpjmd-2025-2029",
        applies_to="renstra, sasaran",
        source="plugins/alignment/aln005.py",
    )

    STALE = text(
        "Renstra {renstra} ({unit}) merujuk RPJMD {named}, bukan RPJMD yang berlaku {in_force}",
        "Renstra {renstra} ({unit}) points at RPJMD {named}, not at the RPJMD in force {in_force}",
    )
    UNNAMED = text(
        "Renstra {renstra} ({unit}) tidak menyebut RPJMD yang dijabarkannya (`rpjmd:`); "
        "yang berlaku: {in_force}",
        "Renstra {renstra} ({unit}) does not name the RPJMD it derives from (`rpjmd:`); "
        "the one in force is {in_force}",
    )
    NO_SUPPORT = text(
        "Sasaran Renstra {sasaran} ({text}) dari {renstra} tidak mendukung sasaran RPJMD mana pun",
        "Renstra sasaran {sasaran} ({text}) of {renstra} supports no RPJMD sasaran",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        in_force = ws.rpjmd.id if ws.rpjmd else None
        for renstra, file in ws.renstras:
            ref = ref_renstra(ws, renstra, file)
            values = {"renstra": renstra.id, "unit": renstra.unit or "-",
                      "named": renstra.rpjmd or "-", "in_force": in_force or "-"}
            # without an RPJMD in force there is nothing to point at (the manifest error says so)
            if in_force is not None:
                out.applicable(ref)
                if renstra.rpjmd is None:
                    out.finding(ref, self.UNNAMED, values, evidence={"in_force": in_force})
                elif renstra.rpjmd != in_force:
                    out.finding(ref, self.STALE, values, evidence={
                        "named": renstra.rpjmd, "in_force": in_force,
                        "named_loaded": renstra.rpjmd in ws.rpjmd_versions})
            unit = ws.opd_of(renstra.unit)
            for s in renstra.sasaran:
                s_ref = ElementRef(s.id, "sasaran", file, s.line, unit=unit)
                out.applicable(s_ref)
                if not s.supports:
                    out.finding(s_ref, self.NO_SUPPORT, {
                        "sasaran": s.id, "text": s.text or "-", "renstra": renstra.id})
