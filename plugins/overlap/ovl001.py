"""OVL001: two processes owned by different OPDs do the same work (tumpang tindih)."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .matcher import DEFAULT_THRESHOLD
from .pairs import process_pairs, report_pair


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
            "workspace, misalnya \"Surat Izin Praktik (SIP)\"; singkatan yang bermakna ganda, "
            "misalnya SPM, tidak dicocokkan). Kata umum (pelayanan, pengelolaan, "
            "administrasi) tidak dihitung; pelanggan yang disebut dalam nama (\"untuk Warga\", "
            "\"bagi Tenaga Kesehatan\") dihitung hanya bila membedakan kedua proses; pelanggan "
            "dibandingkan per kata. Tidak dilaporkan: proses pendukung yang dijalankan setiap"
            " OPD untuk dirinya sendiri (kepegawaian, keuangan, kearsipan, perencanaan, "
            "pelaporan, gaji dan tunjangan ASN, sub-kegiatan program penunjang x.xx.01), apa "
            "pun kategorinya, dan layanan yang sama dari unit kewilayahan (setiap kecamatan "
            "untuk wilayahnya). Satu pemeriksaan per proses yang bernama dan berpemilik; "
            "temuan dicatat pada proses berkode lebih kecil dan menyebut proses lainnya.",
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
            "tells the two apart; customers are compared word by word. Not reported: support "
            "processes every OPD runs for itself (staffing, finance, archives, planning, "
            "reporting, ASN pay, sub-kegiatan of the support program x.xx.01), whatever their"
            " category, and the same service given by territorial units (every kecamatan for "
            "its own area). One check per named process with an owner; the finding sits on "
            "the process with the lower code and names the other.",
        ),
        basis=text(
            "PermenPANRB 19/2018: peta proses bisnis disusun untuk menghilangkan tumpang tindih "
            "tugas antar-unit; evaluasi kelembagaan menanyakan duplikasi fungsi (domain §5).",
            "PermenPANRB 19/2018: process maps exist to remove overlapping tasks between units; "
            "the institutional evaluation asks about duplicated functions (domain §5).",
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
            "Bila kedua proses memang berbeda (misalnya layanan jemput bola yang didelegasikan "
            "dengan dasar hukum), catat pengecualian di waivers.yaml dengan alasannya.",
            "Give the process one owning OPD according to its duties; the other OPD becomes a "
            "supplier or participant of that process, or drops it from its map. If the two "
            "really differ (e.g. an outreach service delegated by regulation), record a waiver "
            "in waivers.yaml with the reason.",
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
    # measured at about ten times a one-pass rule (benchmarks/scale_bench.py)
    relative_cost = 10.0

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        for pair, entries, limit in process_pairs(ctx, out, DEFAULT_THRESHOLD, "cross_owner"):
            report_pair(ctx.workspace, out, pair, entries, limit)
