"""Findings the engine itself raises about the run (not about the maps): rule set ``engine``.

They are never scored (a crashing plugin says nothing about the maps), but they count for
``--fail-on`` so that a CI job notices that part of the audit is missing.
"""

from __future__ import annotations

from .i18n import text
from .rule import RuleInfo

ENG001 = RuleInfo(
    id="ENG001",
    rule_set="engine",
    severity="error",
    title=text("Plugin gagal dijalankan", "A plugin failed"),
    checks=text(
        "Sebuah plugin (atau satu aturannya) gagal dimuat, melempar galat, atau tidak selesai.",
        "A plugin (or one of its rules) failed to load, raised an error, or did not finish.",
    ),
    basis=text(
        "Aturan keandalan probis sendiri, bukan peraturan: laporan audit menyebut bagian yang "
        "tidak diperiksa (praktik baik audit); hasil plugin lain tetap berlaku.",
        "probis's own reliability rule, not a regulation: an audit report states what was not "
        "examined (good practice in auditing); the other plugins' results stand.",
    ),
    rationale=text(
        "Auditor harus tahu bahwa sebagian pemeriksaan tidak berjalan, agar skor tidak dibaca "
        "sebagai lengkap.",
        "The auditor must know that part of the checks did not run, so the score is not read "
        "as complete.",
    ),
    fix=text(
        "Laporkan ke pengembang plugin dengan pesan galatnya; sementara itu jalankan probis "
        "tanpa plugin tersebut (PROBIS_LOAD_PLUGINS). Berkas aturan yang ditolak saat dimuat: "
        "perbaiki jenis fakta atau field yang disebut pesan (daftarnya di docs/facts.md).",
        "Report it to the plugin's developers with the error message; meanwhile run probis "
        "without that plugin (PROBIS_LOAD_PLUGINS). A rule file refused at load: correct the "
        "fact kind or field the message names (docs/facts.md lists them).",
    ),
    applies_to="plugin",
)

ENG002 = RuleInfo(
    id="ENG002",
    rule_set="engine",
    severity="error",
    title=text("Mesin aturan durable-rules gagal", "The durable-rules engine failed"),
    checks=text(
        "Mesin aturan (durable-rules) yang menjalankan berkas aturan mogok, hang, atau galat.",
        "The rules engine (durable-rules) that runs the rule files crashed, hung or raised.",
    ),
    basis=text(
        "Aturan keandalan probis sendiri, bukan peraturan: laporan audit menyebut bagian yang "
        "tidak diperiksa (praktik baik audit).",
        "probis's own reliability rule, not a regulation: an audit report states what was not "
        "examined (good practice in auditing).",
    ),
    rationale=text(
        "Mesin berjalan di proses terpisah sehingga kegagalannya tidak menghilangkan hasil "
        "aturan lain; aturan berbasis berkas tidak memberi hasil pada proses ini.",
        "The engine runs in a separate process so its failure loses no other results; the "
        "rule-file rules gave no results in this run.",
    ),
    fix=text(
        "Jalankan ulang; bila berulang, laporkan dengan workspace-nya. Aturan mana yang "
        "terdampak tercantum di bukti temuan.",
        "Run again; if it repeats, report it with the workspace. The affected rules are "
        "listed in the finding's evidence.",
    ),
    applies_to="run",
)

ENGINE_RULES = {r.id: r for r in (ENG001, ENG002)}
