"""OVL001: two processes owned by different OPDs do the same work (tumpang tindih)."""

from __future__ import annotations

import datetime as dt

from probis.engine.findings import ElementRef, Finding
from probis.engine.i18n import format_text, text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo
from probis.engine.workspace import Workspace

from .delegation import KIND as DELEGATION_KIND
from .delegation import Grant, covering, delegations
from .kamus import workspace_normalizer
from .matcher import DEFAULT_THRESHOLD
from .pairs import Sides, process_pairs, report_pair


class CrossOpdOverlap(PythonRule):
    info = RuleInfo(
        id="OVL001",
        rule_set="overlap",
        severity="warning",
        title=text("Tumpang tindih proses antar-OPD", "Overlapping processes across OPDs"),
        checks=text(
            "Dua proses milik OPD yang berbeda mengerjakan pekerjaan yang sama: nama, "
            "keluaran dan pelanggannya mirip melebihi ambang, setelah perbedaan kata dalam "
            "bahasa Indonesia diseragamkan (huruf besar/kecil, tanda baca, kata henti, "
            "imbuhan dengan stemmer Sastrawi, urutan kata, ejaan tidak baku seperti "
            "ijin/izin, praktek/praktik, kontruksi/konstruksi, singkatan dan sinonim dari "
            "kamus, misalnya KTP-el / Kartu Tanda Penduduk Elektronik, PBG / IMB, Perbup / "
            "Peraturan Bupati, serta singkatan yang ditulis lengkap di tempat lain dalam "
            "ruang kerja, misalnya \"Surat Izin Praktik (SIP)\"; singkatan yang bermakna ganda, "
            "misalnya SPM, tidak dicocokkan). Kata umum (pelayanan, pengelolaan, "
            "administrasi) tidak dihitung; pelanggan yang disebut dalam nama (\"untuk Warga\", "
            "\"bagi Tenaga Kesehatan\") dihitung hanya bila membedakan kedua proses; pelanggan "
            "dibandingkan per kata. Setiap kata ditimbang menurut kelangkaannya (IDF di dalam "
            "ruang kerja digabung dengan tabel nomenklatur nyata): kata langka yang sama, "
            "misalnya SKTM atau radiografer, lebih berbobot daripada kata lazim seperti "
            "pembinaan. Tidak dilaporkan: proses pendukung yang dijalankan setiap"
            " OPD untuk dirinya sendiri (kepegawaian, keuangan, kearsipan, perencanaan, "
            "pelaporan, gaji dan tunjangan ASN, sub-kegiatan program penunjang x.xx.01), apa "
            "pun kategorinya, dan layanan yang sama dari unit kewilayahan (setiap kecamatan "
            "untuk wilayahnya). Satu pemeriksaan per proses yang bernama dan berpemilik; "
            "temuan dicatat pada proses berkode lebih kecil dan menyebut proses lainnya. "
            "Pasangan yang dicakup pelimpahan kewenangan yang berlaku pada tanggal audit "
            "(`kind: pelimpahan`, misalnya PATEN) dilaporkan sebagai info dengan menyebut "
            "instrumennya. `probis overlap WORKSPACE` juga menampilkan pasangan di bawah "
            "ambang beserta bukti pendukung dan penyangkalnya untuk ditinjau.",
            "Two processes owned by different OPDs do the same work: names, outputs and "
            "customers are similar beyond a threshold once Indonesian wording differences are"
            " evened out (case, punctuation, stop words, affixes with the Sastrawi stemmer, "
            "word order, non-standard spellings such as ijin/izin, praktek/praktik, "
            "kontruksi/konstruksi, abbreviations and synonyms from the kamus such as KTP-el /"
            " Kartu Tanda Penduduk Elektronik, PBG / IMB, Perbup / Peraturan Bupati, and "
            "abbreviations the workspace spells out elsewhere, e.g. \"Surat Izin Praktik "
            "(SIP)\"; an abbreviation with two meanings, such as SPM, is left unmatched). "
            "Generic words (pelayanan, pengelolaan, administrasi) do not count; a customer "
            "named in a name (\"untuk Warga\", \"bagi Tenaga Kesehatan\") counts only when it "
            "tells the two apart; customers are compared word by word. Each word weighs by "
            "its rarity (IDF within the workspace pooled with a table of real nomenclature):"
            " a shared rare word such as SKTM or radiografer counts more than a common one "
            "such as pembinaan. Not reported: support "
            "processes every OPD runs for itself (staffing, finance, archives, planning, "
            "reporting, ASN pay, sub-kegiatan of the support program x.xx.01), whatever their"
            " category, and the same service given by territorial units (every kecamatan for "
            "its own area). One check per named process with an owner; the finding sits on "
            "the process with the lower code and names the other. A pair covered by a "
            "delegation in force on the audit date (`kind: pelimpahan`, e.g. PATEN) is "
            "reported as info naming the instrument. `probis overlap WORKSPACE` lists the "
            "pairs below the threshold too, with the evidence for and against, for review.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "latar belakangnya menyebut proses yang berbelit-belit dan tumpang tindih "
            "antar-unit memperlambat organisasi, sehingga setiap unit memerlukan peta proses "
            "bisnis. Evaluasi kelembagaan menurut PermenPANRB 20/2018 tentang Pedoman "
            "Evaluasi Kelembagaan Instansi Pemerintah menuju organisasi yang tepat fungsi dan "
            "tepat proses, dan lembar penilaian mandiri reformasi birokrasi (PMPRB) "
            "menanyakan kemungkinan duplikasi fungsi.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): its background states that "
            "convoluted, overlapping processes between units slow an organisation down, so "
            "every unit needs a process map. The institutional evaluation under PermenPANRB "
            "20/2018 on guidelines for evaluating government institutions (Pedoman Evaluasi "
            "Kelembagaan Instansi Pemerintah) aims at organisations that are right in "
            "function and process, and the bureaucratic-reform self-assessment sheet (PMPRB) "
            "asks about possibly duplicated functions.",
        ),
        rationale=text(
            "Dua OPD yang mengerjakan layanan yang sama membebani masyarakat (dua loket, dua "
            "persyaratan) dan anggaran (dua sub-kegiatan). Menemukan tumpang tindih adalah "
            "langkah pertama penataan proses bisnis.",
            "Two OPDs doing the same service burden citizens (two counters, two sets of "
            "requirements) and the budget (two sub-activities). Finding overlaps is the first "
            "step of process improvement.",
        ),
        fix=text(
            "Tetapkan satu OPD pemilik proses sesuai tugas dan fungsinya; OPD lain menjadi "
            "pemasok atau peserta (participants) proses itu, atau hapus prosesnya dari peta. "
            "Bila satu pihak melayani atas pelimpahan sebagian kewenangan kepala daerah "
            "(misalnya kecamatan dalam PATEN, Permendagri 4/2010, dengan Perbup/Perwali), catat "
            "pelimpahan itu sebagai dokumen `kind: pelimpahan`: temuan yang dicakupnya turun "
            "menjadi info dengan dasar hukumnya. Bila kedua proses memang berbeda, catat "
            "pengecualian di waivers.yaml dengan alasannya (`probis overlap` menampilkan "
            "pasangan beserta buktinya).",
            "Give the process one owning OPD according to its duties; the other OPD becomes a "
            "supplier or participant of that process, or drops it from its map. If one side "
            "serves under a delegation of part of the regional head's authority (pelimpahan "
            "kewenangan, e.g. a kecamatan under PATEN, Permendagri 4/2010, by a Perbup/Perwali), "
            "record the delegation as a `kind: pelimpahan` document: the findings it covers "
            "drop to info and name its legal basis. If the two really differ, record a waiver "
            "in waivers.yaml with the reason (`probis overlap` lists the pairs with their "
            "evidence).",
        ),
        example_fail=(
            "# peta/dpmptsp/PB.09.01.yaml\n- code: PB.09.01.02\n"
            "  name: Penerbitan Persetujuan Bangunan Gedung\n  owner: dpmptsp.perizinan\n"
            "  outputs: [Dokumen PBG]\n"
            "# peta/dputr/PB.08.02.yaml\n- code: PB.08.02.02\n"
            "  name: Pelayanan Izin Mendirikan Bangunan\n  owner: dputr.tataruang\n"
            "  outputs: [Surat Izin Mendirikan Bangunan]"
        ),
        example_pass=(
            "# peta/dputr/PB.08.02.yaml: Dinas PUTR gives a technical recommendation to the\n"
            "# DPMPTSP process instead of issuing the permit itself\n- code: PB.08.02.02\n"
            "  name: Pemberian Rekomendasi Teknis Bangunan Gedung\n  owner: dputr.tataruang\n"
            "  customers: [DPMPTSP]"
        ),
        applies_to="process",
        options={"threshold": DEFAULT_THRESHOLD},
        source="plugins/overlap/ovl001.py",
    )


    # normalising and stemming every process name and output, then matching across OPDs:
    # about ten times a one-pass rule (docs/design-notes.md)
    relative_cost = 10.0

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        # the normaliser (stemming the kamus) only where a delegation is to be matched
        grants = (delegations(ws, workspace_normalizer(ws)) if ws.extra.get(DELEGATION_KIND)
                  else [])
        covered: dict[str, ElementRef] = {}
        uncovered: set[str] = set()
        sides = Sides()
        for pair, entries, limit in process_pairs(ctx, out, DEFAULT_THRESHOLD, "cross_owner"):
            count = len(out.findings)
            report_pair(ws, out, pair, entries, limit, sides=sides)
            if not grants or len(out.findings) == count:
                continue
            finding = out.findings[-1]
            grant, other = covering(ws, grants, entries[pair.a_code], entries[pair.b_code],
                                    ctx.as_of, workspace_normalizer(ws))
            if grant is not None:
                delegated(ws, finding, grant)
                covered.setdefault(finding.ref.element, finding.ref)
            else:
                uncovered.add(finding.ref.element)
                if other is not None:
                    not_in_force(ws, finding, other, ctx.as_of)
        for element, ref in covered.items():
            if element not in uncovered:  # the process's one check is an info check now
                move_check(out, ref, self.info.severity, "info")


def delegated(ws: Workspace, finding: Finding, grant: Grant) -> None:
    """A pair served under a delegation in force: info, naming the instrument."""
    values = {"basis": grant.basis, "since": grant.effective.isoformat(),
              "from": grant.opd_from, "to": ", ".join(sorted(grant.opd_to)) or grant.to_type}
    note = format_text(COVERED, values)
    finding.severity = "info"
    finding.message = {lang: f"{finding.message[lang]}. {note[lang]}" for lang in note}
    paten = grant.to_type == "kecamatan" or any(
        ws.units[u].type == "kecamatan" for u in grant.opd_to if u in ws.units)
    extra = format_text(PATEN_BASIS if paten else DELEGATION_BASIS, {"basis": grant.basis})
    finding.basis = {lang: f"{finding.basis[lang]} {extra[lang]}" for lang in extra}
    finding.fix = dict(COVERED_FIX)
    finding.evidence = dict(finding.evidence, delegation=grant.describe(ws))


def not_in_force(ws: Workspace, finding: Finding, grant: Grant, on: dt.date) -> None:
    """A delegation that would cover the pair on another date: the warning stays, and says so."""
    values = {"basis": grant.basis, "since": grant.effective.isoformat(),
              "until": grant.until.isoformat() if grant.until else "-", "on": on.isoformat()}
    note = format_text(NOT_IN_FORCE, values)
    finding.fix = {lang: f"{note[lang]} {finding.fix[lang]}" for lang in note}
    finding.evidence = dict(finding.evidence, delegation_not_in_force=grant.describe(ws))


def move_check(out: Evaluation, ref: ElementRef, old: str, new: str) -> None:
    """Count one applicable check of ``ref`` at ``new`` instead of ``old`` severity."""
    key = (old, ref.map, ref.unit)
    if out.applicable_tally.get(key, 0) <= 0:
        return
    out.applicable_tally[key] -= 1
    if not out.applicable_tally[key]:
        del out.applicable_tally[key]
    out.applicable_tally[(new, ref.map, ref.unit)] += 1


COVERED = text(
    "Dicakup pelimpahan kewenangan {basis} (berlaku sejak {since}) dari {from} kepada {to}: "
    "dilaporkan sebagai info",
    "Covered by the delegation of authority {basis} (in force since {since}) from {from} to "
    "{to}: reported as info",
)
COVERED_FIX = text(
    "Tidak perlu tindakan selama pelimpahan berlaku. Pastikan peta menunjukkan hubungannya "
    "(OPD pelimpah sebagai peserta atau pemasok proses kecamatan) dan tinjau kembali saat "
    "pelimpahan diubah atau berakhir.",
    "No action while the delegation is in force. Make sure the maps show the link (the "
    "delegating OPD as a participant or supplier of the receiving unit's process) and review "
    "it when the delegation changes or ends.",
)
PATEN_BASIS = text(
    "Pelimpahan sebagian kewenangan: {basis}; Permendagri 4/2010 tentang PATEN.",
    "Delegation of part of the authority: {basis}; Permendagri 4/2010 on PATEN.",
)
DELEGATION_BASIS = text(
    "Pelimpahan sebagian kewenangan: {basis}.",
    "Delegation of part of the authority: {basis}.",
)
NOT_IN_FORCE = text(
    "Pelimpahan {basis} (berlaku {since} s.d. {until}) tidak berlaku pada {on}, sehingga "
    "tidak mencakup pasangan ini; perbarui atau perpanjang pelimpahannya bila layanan ini "
    "memang dilimpahkan.",
    "The delegation {basis} (in force {since} to {until}) is not in force on {on}, so it does "
    "not cover this pair; renew or extend the delegation if the service is delegated.",
)
