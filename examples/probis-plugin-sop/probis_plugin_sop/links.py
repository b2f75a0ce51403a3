"""Rules across documents, written in Python because a rule file sees one fact at a time."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .index import processes_by_sop, ref_sop, sop_entries


# [snippet:pythonrule]
class ProcessSopIsDefined(PythonRule):
    info = RuleInfo(
        id="CTH007",
        rule_set="contoh-sop",
        severity="warning",
        title=text("SOP yang dirujuk proses tersedia",
                   "SOPs that processes refer to exist"),
        checks=text(
            "Setiap id pada `sop:` sebuah proses adalah id dokumen `kind: contoh-sop` dalam "
            "workspace. "
            "Hanya diperiksa untuk proses milik OPD yang menyimpan setidaknya satu SOP-nya "
            "di workspace.",
            "Every id in a process's `sop:` is the id of a `kind: contoh-sop` document in the "
            "workspace. Checked only for processes of an OPD that keeps at least one of its "
            "SOPs in the workspace.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "tingkat terendah peta dirinci menjadi SOP; PermenPANRB 35/2012 tentang Pedoman "
            "Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan. Lembar "
            "penilaian mandiri reformasi birokrasi (PMPRB) memeriksa bahwa peta telah "
            "dijabarkan ke dalam SOP.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): the lowest level of the "
            "maps is broken down into SOPs; PermenPANRB 35/2012 on guidelines for SOPs of "
            "government administration (Pedoman Penyusunan SOP Administrasi Pemerintahan). "
            "The bureaucratic-reform self-assessment sheet (PMPRB) checks that maps have been "
            "broken down into SOPs.",
        ),
        rationale=text(
            "Rujukan ke SOP yang tidak ada membuat proses tampak sudah ber-SOP padahal belum.",
            "A reference to an SOP that does not exist makes a process look covered by an SOP "
            "when it is not.",
        ),
        fix=text(
            "Perbaiki id SOP pada proses, atau tambahkan berkas SOP dengan id tersebut.",
            "Correct the SOP id on the process, or add the SOP file with that id.",
        ),
        example_fail="processes:\n  - code: PB.04.02.01\n    sop: [SOP-DUK-009]  # no such SOP",
        example_pass="processes:\n  - code: PB.04.02.01\n    sop: [SOP-DUK-001]",
        applies_to="process",
        source="probis_plugin_sop/links.py",
    )

    MESSAGE = text("Proses {code} merujuk SOP yang tidak ada: {missing}",
                   "Process {code} refers to SOPs that do not exist: {missing}")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        entries = sop_entries(ws)
        defined = {entry.sop.id for entry in entries}
        linked = processes_by_sop(ws)
        # SOPs are written and kept per OPD: an OPD with no SOP file here has not moved its
        # SOPs into probis yet, and flagging all its processes would only be noise
        keeping = {ref_sop(ws, entry, linked).unit for entry in entries}
        for entry in ws.processes:
            if not entry.process.sop or ws.process_unit(entry) not in keeping:
                continue
            ref = ws.ref_process(entry)
            out.applicable(ref)  # one check per element, failing or not
            missing = sorted(set(entry.process.sop) - defined)
            if missing:
                out.finding(ref, self.MESSAGE,
                            {"code": entry.process.code, "missing": ", ".join(missing)},
                            evidence={"missing_sop": missing})
# [/snippet]


class RelatedSopIsDefined(PythonRule):
    info = RuleInfo(
        id="CTH008",
        rule_set="contoh-sop",
        severity="info",
        title=text("SOP terkait tersedia", "Related SOPs exist"),
        checks=text(
            "Setiap id pada `related:` (keterkaitan) sebuah SOP adalah id SOP lain dalam "
            "workspace; \"-\" berarti tidak ada keterkaitan.",
            "Every id in an SOP's `related:` (links) is the id of another SOP in the "
            "workspace; \"-\" means no links.",
        ),
        basis=text(
            "PermenPANRB 35/2012 tentang Pedoman Penyusunan Standar Operasional Prosedur "
            "Administrasi Pemerintahan, bagian keterkaitan pada identitas SOP.",
            "PermenPANRB 35/2012 on guidelines for SOPs of government administration (Pedoman "
            "Penyusunan SOP Administrasi Pemerintahan), the links (keterkaitan) section of "
            "the SOP identity.",
        ),
        rationale=text(
            "Keterkaitan menunjukkan sinergi antar-SOP; rujukan yang putus menyesatkan pelaksana.",
            "Links show how SOPs work together; a broken link misleads the executor.",
        ),
        fix=text("Perbaiki id pada `related:` atau tambahkan SOP yang dirujuk.",
                 "Correct the ids in `related:` or add the SOP it refers to."),
        example_fail="kind: sop\nid: SOP-DUK-001\nrelated: [SOP-DUK-099]",
        example_pass="kind: sop\nid: SOP-DUK-001\nrelated: [SOP-DUK-002]",
        applies_to="contoh-sop",
        source="probis_plugin_sop/links.py",
    )

    MESSAGE = text("SOP {sop} berkait dengan SOP yang tidak ada: {missing}",
                   "SOP {sop} links to SOPs that do not exist: {missing}")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        entries = sop_entries(ws)
        defined = {entry.sop.id for entry in entries}
        linked = processes_by_sop(ws)
        for entry in entries:
            ids = [i for i in entry.sop.related or [] if i.strip() not in ("", "-")]
            if not ids:
                continue
            ref = ref_sop(ws, entry, linked)
            out.applicable(ref)
            missing = sorted(set(ids) - defined)
            if missing:
                out.finding(ref, self.MESSAGE, {"sop": entry.sop.id, "missing": ", ".join(missing)},
                            evidence={"missing_sop": missing})
