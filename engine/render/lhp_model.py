"""The audit report shaped as an LHP (Laporan Hasil Pemeriksaan), as data.

One model, built from the report dict, feeds the HTML (and through it the PDF), Markdown and
DOCX writers, so the three documents have the same chapters in the same order: cover, executive
summary (page 1), one chapter per OPD with findings grouped by rule as kondisi / kriteria /
akibat / sebab / rekomendasi, plugin sections as tables, appendices, signature block.

Every text in the model is already in the chosen language (labels here, bilingual report texts
picked); dates and numbers are formatted with Babel ("28 November 2026", "84,3"). The writers
only lay it out. Nothing here reads the clock, so the same report gives the same document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from ..findings import SEVERITIES
from ..i18n import pick
from .common import SectionRenderer, grade_reasons, plugin_sections, sorted_findings
from .trend import unread_notes

SEVERITY_WEIGHTS = {"error": 10, "warning": 3, "info": 1}  # engine/scoring.py's weights

# The LHP's own words. Kept here (not in common.LABELS) because only the LHP writers use them.
LHP_LABELS: dict[str, dict[str, Any]] = {
    "id": {
        "title": "Laporan Hasil Pemeriksaan Peta Proses Bisnis",
        "subtitle": "Audit peta proses bisnis (PermenPANRB 19/2018)",
        "audit_date": "Tanggal pemeriksaan", "scope": "Lingkup pemeriksaan",
        "files_read": "Berkas yang diperiksa", "sotk": "Versi SOTK", "rpjmd": "Versi RPJMD",
        "rule_sets": "Himpunan aturan", "profile": "Profil aturan",
        "rules_enabled": "aturan aktif", "changed": "setelan diubah",
        "summary": "Ringkasan eksekutif", "grade": "Nilai", "score": "Skor",
        "completeness": "Kelengkapan", "coverage": "Cakupan",
        "files_word": "berkas", "maps_word": "peta", "checks_word": "pemeriksaan lulus",
        "top5": "Lima hal yang perlu diperbaiki lebih dulu",
        "per_unit": "Temuan per OPD", "unit": "OPD", "total": "Jumlah",
        "other_units": "{n} OPD lain tanpa temuan aktif.",
        "other_unit": "1 OPD lain tanpa temuan aktif.",
        "since": "Sejak pemeriksaan terakhir", "new": "baru", "open": "masih terbuka",
        "fixed": "sudah diperbaiki", "before": "Sebelumnya", "after": "Sekarang",
        "not_checked": "tidak diperiksa ulang", "first_checked": "pertama kali diperiksa",
        "baseline_file": "Laporan pembanding",
        "chapter": "Bab", "unit_score": "Skor OPD", "maps": "Peta", "no_maps": "Tidak ada peta.",
        "unread_maps": "berkas tidak terbaca", "grade_limited": "Nilai dibatasi",
        "drawings": "Gambar peta", "findings": "Temuan", "no_findings": "Tidak ada temuan aktif.",
        "kondisi": "Kondisi", "kriteria": "Kriteria", "akibat": "Akibat", "sebab": "Sebab",
        "rekomendasi": "Rekomendasi", "element": "Elemen", "location": "Lokasi",
        "rule": "Aturan", "severity": "Tingkat", "no_unit": "Lintas OPD (tanpa OPD)",
        "sections": "Bagian tambahan", "appendix": "Lampiran",
        "waived": "Temuan yang dikecualikan", "no_waived": "Tidak ada temuan yang dikecualikan.",
        "reason": "Alasan", "approved_by": "Disetujui oleh", "expires": "Berlaku sampai",
        "expired": "Pengecualian kedaluwarsa", "unused": "Pengecualian yang tidak dipakai",
        "input_errors": "Galat masukan", "no_input_errors": "Semua berkas terbaca.",
        "file": "Berkas", "line": "Baris", "field": "Kolom", "message": "Uraian",
        "engine": "Masalah menjalankan plugin", "notices": "Catatan",
        "run": "Metadata pemeriksaan", "version": "Versi probis", "plugins": "Plugin",
        "kind": "Jenis", "sha256": "SHA-256", "rules": "Aturan", "key": "Butir",
        "value": "Isi", "yes": "ya", "no": "tidak",
        "signature": "Pengesahan", "team": "Tim pemeriksa", "approves": "Mengesahkan",
        "inspektur": "Inspektur", "nip": "NIP", "number": "Nomor",
        "no_signature": ("Blok tanda tangan diisi dari bagian `laporan:` di probis.yaml "
                         "(docs/format.md)."),
        "not_gradable": "tidak dapat dinilai",
        "generated": "Dibuat dengan probis {version}", "page": "Halaman",
        "filter": "Saring temuan", "all": "Semua", "shown": "ditampilkan", "of": "dari",
        "sev": {"error": "galat", "warning": "peringatan", "info": "informasi"},
        "coverage_table": "Matriks cakupan sasaran", "sasaran": "Sasaran",
        "served": "Dilayani proses", "processes": "Proses",
    },
    "en": {
        "title": "Business Process Map Audit Report",
        "subtitle": "Audit of business process maps (PermenPANRB 19/2018)",
        "audit_date": "Audit date", "scope": "Scope of the audit",
        "files_read": "Files examined", "sotk": "SOTK version", "rpjmd": "RPJMD version",
        "rule_sets": "Rule sets", "profile": "Rule profile",
        "rules_enabled": "rules enabled", "changed": "settings changed",
        "summary": "Executive summary", "grade": "Grade", "score": "Score",
        "completeness": "Completeness", "coverage": "Coverage",
        "files_word": "files", "maps_word": "maps", "checks_word": "checks passed",
        "top5": "Five things to fix first",
        "per_unit": "Findings per OPD", "unit": "OPD", "total": "Total",
        "other_units": "{n} other OPDs without active findings.",
        "other_unit": "1 other OPD without active findings.",
        "since": "Since the last audit", "new": "new", "open": "still open",
        "fixed": "fixed", "before": "Before", "after": "Now",
        "not_checked": "not checked again", "first_checked": "checked for the first time",
        "baseline_file": "Compared with",
        "chapter": "Chapter", "unit_score": "OPD score", "maps": "Maps", "no_maps": "No maps.",
        "unread_maps": "files not read", "grade_limited": "Grade limited",
        "drawings": "Map drawings", "findings": "Findings", "no_findings": "No active findings.",
        "kondisi": "Condition", "kriteria": "Criteria", "akibat": "Effect", "sebab": "Cause",
        "rekomendasi": "Recommendation", "element": "Element", "location": "Location",
        "rule": "Rule", "severity": "Severity", "no_unit": "Across OPDs (no OPD)",
        "sections": "Further sections", "appendix": "Appendix",
        "waived": "Waived findings", "no_waived": "No waived findings.",
        "reason": "Reason", "approved_by": "Approved by", "expires": "Expires",
        "expired": "Expired waivers", "unused": "Unused waivers",
        "input_errors": "Input errors", "no_input_errors": "Every file was read.",
        "file": "File", "line": "Line", "field": "Field", "message": "Description",
        "engine": "Problems running plugins", "notices": "Notes",
        "run": "Run metadata", "version": "probis version", "plugins": "Plugins",
        "kind": "Kind", "sha256": "SHA-256", "rules": "Rules", "key": "Item",
        "value": "Value", "yes": "yes", "no": "no",
        "signature": "Approval", "team": "Audit team", "approves": "Approved by",
        "inspektur": "Inspector", "nip": "NIP", "number": "Number",
        "no_signature": ("The signature block is filled from the `laporan:` section of "
                         "probis.yaml (docs/format.md)."),
        "not_gradable": "not gradable",
        "generated": "Made with probis {version}", "page": "Page",
        "filter": "Filter findings", "all": "All", "shown": "shown", "of": "of",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
        "coverage_table": "Coverage matrix of sasaran", "sasaran": "Sasaran",
        "served": "Served by a process", "processes": "Processes",
    },
}

ELEMENT_TYPES: dict[str, dict[str, str]] = {
    "id": {"process": "proses", "map": "peta proses", "lf-map": "peta lintas fungsi",
           "step": "langkah", "flow": "alur", "lane": "lajur", "unit": "unit kerja",
           "sasaran": "sasaran", "indicator": "indikator", "subkegiatan": "subkegiatan",
           "renstra": "renstra", "rpjmd": "RPJMD", "sotk": "SOTK", "workspace": "ruang kerja",
           "waiver": "pengecualian", "pelimpahan": "pelimpahan", "sop": "SOP"},
    "en": {"process": "process", "map": "process map", "lf-map": "cross-functional map",
           "step": "step", "flow": "flow", "lane": "lane", "unit": "unit",
           "sasaran": "sasaran (target)", "indicator": "indicator", "subkegiatan": "sub-activity",
           "renstra": "renstra", "rpjmd": "RPJMD", "sotk": "SOTK", "workspace": "workspace",
           "waiver": "waiver", "pelimpahan": "delegation", "sop": "SOP"},
}

FILE_KINDS: dict[str, dict[str, str]] = {
    "id": {"workspace": "manifes ruang kerja", "sotk": "SOTK", "rpjmd": "RPJMD",
           "renstra": "renstra", "peta-proses": "peta proses",
           "peta-lintas-fungsi": "peta lintas fungsi", "waivers": "pengecualian",
           "pelimpahan": "pelimpahan", "sop": "SOP"},
    "en": {"workspace": "workspace manifest", "sotk": "SOTK", "rpjmd": "RPJMD",
           "renstra": "renstra", "peta-proses": "process map",
           "peta-lintas-fungsi": "cross-functional map", "waivers": "waivers",
           "pelimpahan": "delegation", "sop": "SOP"},
}

RULE_SETS: dict[str, dict[str, str]] = {
    "id": {"regulation": "Kepatuhan regulasi", "alignment": "Keselarasan dengan rencana",
           "restructure": "Perubahan SOTK", "overlap": "Tumpang tindih proses",
           "interop": "Pertukaran data", "sop": "SOP", "engine": "Mesin pemeriksa"},
    "en": {"regulation": "Regulatory compliance", "alignment": "Alignment with plans",
           "restructure": "SOTK changes", "overlap": "Process overlap",
           "interop": "Data exchange", "sop": "SOP", "engine": "Audit engine"},
}


def lhp_labels(lang: str) -> dict[str, Any]:
    return LHP_LABELS["en" if lang == "en" else "id"]


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "id"


def long_date(value: str | dt.date | None, lang: str) -> str:
    """"28 November 2026" (id) or "November 28, 2026" (en); text that is no date stays as is."""
    if not value:
        return ""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return format_date(day, "long", locale=_lang(lang))


def number(value: float | int | None, lang: str) -> str:
    """"1.234,5" (id) or "1,234.5" (en)."""
    if value is None:
        return "-"
    return format_decimal(value, locale=_lang(lang))


def element_type(kind: str | None, lang: str) -> str:
    return ELEMENT_TYPES[_lang(lang)].get(kind or "", kind or "")


def rule_set_label(name: str, lang: str) -> str:
    return RULE_SETS[_lang(lang)].get(name, name)


# --- the model -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    title: str = ""


@dataclass(frozen=True)
class Item:
    """One finding in a rule group: its kondisi, element and place."""
    anchor: str  # finding-<fingerprint>
    kondisi: str
    element: str
    element_type: str
    file: str
    line: int | None
    location: str
    status: str = ""  # "baru"/"new" or "masih terbuka"/"still open" with a baseline


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    title: str
    severity: str  # error | warning | info (for colour)
    severity_label: str
    rule_set: str
    kriteria: str
    akibat: str
    rekomendasi: str
    sebab: str
    items: list[Item]


@dataclass(frozen=True)
class Drawing:
    code: str
    title: str
    kind: str
    svg: str  # trusted inline SVG from engine.diagram


@dataclass(frozen=True)
class Chapter:
    number: int
    unit: str
    name: str
    anchor: str
    score: str
    grade: str
    grade_letter: str
    checks: str
    counts: dict[str, int]
    maps: list[str]
    groups: list[RuleGroup]
    drawings: list[Drawing]
    change: str = ""  # score and grade change since the baseline
    # why the OPD's grade is below its score's letter, and its map files that could not be
    # read: without them a B with no error, or "no maps" for an OPD whose map was unreadable
    reasons: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TopItem:
    rank: int
    severity: str
    severity_label: str
    rule: str
    title: str
    unit: str
    element: str
    message: str
    fix: str
    anchor: str


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    tables: list[Table]
    html: str | None = None  # the plugin's own HTML (probis_render_section), when it has one


@dataclass(frozen=True)
class Signer:
    nama: str
    nip: str
    jabatan: str


@dataclass(frozen=True)
class Signature:
    place_date: str
    number: str
    team: list[Signer]
    inspektur: Signer | None


@dataclass
class LhpModel:
    lang: str
    L: dict[str, Any]
    title: str
    instansi: str
    workspace: str
    audit_date: str
    scope: list[tuple[str, str]]
    score: str
    grade: str
    grade_letter: str
    facts: list[tuple[str, str]]
    reasons: list[str]
    severity_counts: list[tuple[str, str, int]]
    top: list[TopItem]
    unit_table: Table
    other_units: str
    baseline: dict[str, Any] | None
    chapters: list[Chapter]
    sections: list[Section]
    appendices: list[Table]
    waived: Table | None
    signature: Signature | None
    generated: str
    rule_sets_present: list[tuple[str, str]] = field(default_factory=list)


def build_model(report: dict[str, Any], lang: str = "id",
                section_renderer: SectionRenderer | None = None, fmt: str = "html",
                workspace: Any = None) -> LhpModel:
    """The LHP of ``report`` in ``lang``. ``section_renderer`` is asked for the plugin
    sections in ``fmt`` (html only; other writers use the tables); ``workspace`` (the loaded
    engine workspace) is needed for map drawings only."""
    lang = _lang(lang)
    L = lhp_labels(lang)
    ws = report["workspace"]
    instansi = ws.get("instansi") or ws["name"]
    done = report.get("verdict", {}).get("completeness") or {}
    files = done.get("files") or {}
    maps = done.get("maps") or {}
    grade_letter = report.get("grade") or ""
    rules = report.get("rules", {})

    scope = [(L["files_read"], _files_scope(report, lang)),
             (L["sotk"], ws.get("sotk") or "-"), (L["rpjmd"], ws.get("rpjmd") or "-"),
             (L["rule_sets"], ", ".join(rule_set_label(rs, lang) for rs in _rule_sets(report))),
             (L["profile"], _profile(report, lang))]
    facts = []
    if files:
        facts.append((L["completeness"],
                      f"{files['audited']}/{files['declared']} {L['files_word']}, "
                      f"{maps.get('audited', 0)}/{maps.get('declared', 0)} {L['maps_word']}"))
    cell = report["scores"]["workspace"]
    facts.append((L["coverage"], f"{cell['passed']}/{cell['applicable']} {L['checks_word']}"))

    baseline = _baseline(report, L, lang)
    status_word = {"new": L["new"], "open": L["open"], "first_checked": L["first_checked"]}
    chapters = _chapters(report, L, lang, workspace, status_word)
    top = _top(report, L, lang)
    counts = _counts(report["findings"])
    unit_rows = []
    for uid in sorted(counts, key=lambda u: (-_weight(counts[u]), u)):
        cell_u = report["scores"]["by_unit"].get(uid) or {}
        n = counts[uid]
        unit_rows.append([_unit_name(report, uid, L), number(cell_u.get("score"), lang),
                          cell_u.get("grade") or ("-" if not cell_u else L["not_gradable"]),
                          *[str(n.get(s, 0)) for s in SEVERITIES], str(sum(n.values()))])
    others = len([u for u in report["scores"]["by_unit"] if u not in counts])

    sections = _sections(report, L, lang, section_renderer, fmt)
    return LhpModel(
        lang=lang, L=L, title=L["title"], instansi=instansi, workspace=ws["name"],
        audit_date=long_date(ws.get("as_of"), lang), scope=scope,
        score=number(report.get("score"), lang),
        grade=grade_letter or L["not_gradable"], grade_letter=grade_letter, facts=facts,
        reasons=grade_reasons(report, lang),
        severity_counts=[(s, L["sev"][s], report["summary"]["by_severity"].get(s, 0))
                         for s in SEVERITIES],
        top=top,
        unit_table=Table([L["unit"], L["score"], L["grade"], *[L["sev"][s] for s in SEVERITIES],
                          L["total"]], unit_rows),
        other_units=(L["other_unit"] if others == 1 else L["other_units"].format(n=others)
                     if others else ""),
        baseline=baseline, chapters=chapters, sections=sections,
        appendices=_appendices(report, L, lang),
        waived=_waived(report, L, lang),
        signature=_signature(ws.get("laporan"), ws.get("as_of"), L, lang),
        generated=L["generated"].format(version=report["probis"]["version"]),
        rule_sets_present=[(rs, rule_set_label(rs, lang)) for rs in _rule_sets(report)
                           if rules],
    )


def _weight(counts: dict[str, int]) -> int:
    return sum(SEVERITY_WEIGHTS.get(s, 0) * n for s, n in counts.items())


def _counts(findings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        cell = out.setdefault(f.get("unit") or "", {})
        cell[f["severity"]] = cell.get(f["severity"], 0) + 1
    return out


def _unit_name(report: dict[str, Any], uid: str, L: dict[str, Any]) -> str:
    if not uid:
        return str(L["no_unit"])
    cell = report["scores"]["by_unit"].get(uid) or {}
    name = cell.get("name")
    return f"{name} ({uid})" if name and name != uid else uid


def _rule_sets(report: dict[str, Any]) -> list[str]:
    return sorted({r["rule_set"] for r in report.get("rules", {}).values()
                   if r.get("setting", "off") != "off" and r["rule_set"] != "engine"})


def _files_scope(report: dict[str, Any], lang: str) -> str:
    kinds: dict[str, int] = {}
    for x in report["run"]["files"]:
        kinds[x["kind"]] = kinds.get(x["kind"], 0) + 1
    parts = [f"{n} {_plural_kind(FILE_KINDS[lang].get(k, k), n, lang)}"
             for k, n in sorted(kinds.items())]
    return f"{len(report['run']['files'])}: " + ", ".join(parts) if parts else "0"


def _plural_kind(noun: str, n: int, lang: str) -> str:
    """English nouns of several files take an s ("10 process maps"); Indonesian ones, and
    acronyms and names (SOTK, renstra, waivers), stay as they are."""
    return noun + "s" if lang == "en" and n != 1 and noun.endswith(("map", "manifest",
                                                                       "delegation")) else noun


def _profile(report: dict[str, Any], lang: str) -> str:
    L = lhp_labels(lang)
    rules = report.get("rules", {})
    enabled = sum(1 for r in rules.values() if r.get("setting", "off") != "off"
                  and r["rule_set"] != "engine")
    changed = [f"{rid} → {L['sev'].get(r['setting'], 'off' if lang == 'en' else 'nonaktif')}"
               for rid, r in sorted(rules.items())
               if r.get("setting") != r.get("default_severity")]
    text = f"{enabled} {L['rules_enabled']}"
    if changed:
        text += f"; {L['changed']}: " + ", ".join(changed)
    return text


def _unit_weights(report: dict[str, Any]) -> dict[str, int]:
    """Applicable check weight per OPD: one more failed check moves a small OPD's score more."""
    rules = report.get("rules", {})
    out: dict[str, int] = {}
    for c in report.get("checks", []):
        if c.get("unit"):
            w = SEVERITY_WEIGHTS.get(rules.get(c["rule"], {}).get("setting", ""), 0)
            out[c["unit"]] = out.get(c["unit"], 0) + w * int(c.get("applicable", 0))
    return out


def _top(report: dict[str, Any], L: dict[str, Any], lang: str) -> list[TopItem]:
    """The five findings to fix first: most severe, then the largest share of the OPD's score
    one finding costs (its severity weight over the OPD's applicable weight)."""
    weights = _unit_weights(report)
    order = {s: i for i, s in enumerate(SEVERITIES)}

    def impact(f: dict[str, Any]) -> float:
        total = weights.get(f.get("unit") or "", 0)
        return SEVERITY_WEIGHTS.get(f["severity"], 0) / total if total else 0.0

    ranked = sorted(report["findings"], key=lambda f: (
        order.get(f["severity"], 9), -impact(f), f["rule"], f.get("file") or "",
        f.get("line") or 0, f["element"], f["fingerprint"]))
    out = []
    for i, f in enumerate(ranked[:5], start=1):
        out.append(TopItem(
            rank=i, severity=f["severity"], severity_label=L["sev"][f["severity"]],
            rule=f["rule"], title=_rule_title(report, f["rule"], lang),
            unit=_unit_name(report, f.get("unit") or "", L), element=f["element"],
            message=pick(f["message"], lang), fix=pick(f["fix"], lang),
            anchor=f"finding-{f['fingerprint']}"))
    return out


def _rule_title(report: dict[str, Any], rule: str, lang: str) -> str:
    info = report.get("rules", {}).get(rule)
    return pick(info.get("title"), lang) if info else ""


def _sebab(findings: list[dict[str, Any]], lang: str) -> str:
    """The cause where the evidence knows it: a SOTK change behind a restructure finding."""
    changes = []
    for f in findings:
        for u in (f.get("evidence") or {}).get("units", []) or []:
            if isinstance(u, dict) and u.get("op") and u.get("sotk"):
                sotk = " → ".join(str(s) for s in u["sotk"])
                op = {"rename": ("diganti nama", "renamed"), "merge": ("digabung", "merged"),
                      "split": ("dipecah", "split"), "abolish": ("dihapus", "abolished"),
                      "move": ("dipindah", "moved"), "create": ("dibentuk", "created")
                      }.get(u["op"], (u["op"], u["op"]))
                word = op[1] if lang == "en" else op[0]
                changes.append(f"`{u.get('unit')}` {word} ({sotk})" if lang == "en"
                               else f"`{u.get('unit')}` {word} ({sotk})")
    if not changes:
        return ""
    lead = "SOTK change: " if lang == "en" else "Perubahan SOTK: "
    return lead + "; ".join(dict.fromkeys(changes))


def _groups(report: dict[str, Any], findings: list[dict[str, Any]], L: dict[str, Any],
            lang: str, status_word: dict[str, str]) -> list[RuleGroup]:
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in sorted_findings(findings):
        by_rule.setdefault(f["rule"], []).append(f)
    out = []
    for rule, items in by_rule.items():
        info = report.get("rules", {}).get(rule, {})
        first = items[0]
        out.append(RuleGroup(
            rule=rule, title=_rule_title(report, rule, lang), severity=first["severity"],
            severity_label=L["sev"][first["severity"]],
            rule_set=rule_set_label(first["rule_set"], lang),
            kriteria=pick(first.get("basis") or info.get("basis"), lang),
            akibat=pick(info.get("rationale"), lang),
            rekomendasi=pick(info.get("fix") or first.get("fix"), lang),
            sebab=_sebab(items, lang),
            items=[Item(anchor=f"finding-{f['fingerprint']}", kondisi=pick(f["message"], lang),
                        element=f["element"], element_type=element_type(f.get("element_type"),
                                                                        lang),
                        file=f.get("file") or "", line=f.get("line"),
                        location=_where(f), status=status_word.get(
                            f.get("baseline_status") or "", ""))
                   for f in items]))
    return out


def _where(item: dict[str, Any]) -> str:
    where = item.get("file") or ""
    if where and item.get("line"):
        where += f":{item['line']}"
    return where


def _unit_maps(report: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for c in report.get("checks", []):
        if c.get("unit") and c.get("map"):
            out.setdefault(c["unit"], set()).add(c["map"])
    for f in report["findings"]:
        if f.get("unit") and f.get("map"):
            out.setdefault(f["unit"], set()).add(f["map"])
    return {u: sorted(m) for u, m in out.items()}


def _drawings(workspace: Any, report: dict[str, Any], unit: str, lang: str) -> list[Drawing]:
    if workspace is None:
        return []
    try:  # engine.diagram is another branch's work (issue 21 item 2); without it, no drawings
        from ..diagram import draw_unit_maps  # type: ignore[import-not-found,attr-defined]
    except ImportError:
        return []
    return [Drawing(code=d.code, title=d.title, kind=d.kind, svg=d.svg)
            for d in draw_unit_maps(workspace, report, unit or None, lang)]


def _chapters(report: dict[str, Any], L: dict[str, Any], lang: str, workspace: Any,
              status_word: dict[str, str]) -> list[Chapter]:
    """One chapter per OPD that has findings or maps (read or not), worst score first;
    findings that name no OPD close the list in a chapter of their own."""
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        by_unit.setdefault(f.get("unit") or "", []).append(f)
    maps = _unit_maps(report)
    scores = report["scores"]["by_unit"]
    unread = {o.get("unit"): o.get("unread_maps") or []
              for o in (report.get("status") or {}).get("opds") or []}
    units = [u for u in scores if u in by_unit or maps.get(u) or unread.get(u)]
    units.sort(key=lambda u: (scores[u]["score"], u))
    if "" in by_unit:
        units.append("")
    base_units = (report.get("baseline") or {}).get("units") or {}
    out = []
    for i, uid in enumerate(units, start=1):
        cell = scores.get(uid) or {}
        n: dict[str, int] = {}
        for f in by_unit.get(uid, []):
            n[f["severity"]] = n.get(f["severity"], 0) + 1
        change = ""
        if uid in base_units:
            b = base_units[uid]
            change = (f"{number(b.get('score_before'), lang)} "
                      f"({b.get('grade_before') or '-'}) → "
                      f"{number(b.get('score_after'), lang)} ({b.get('grade_after') or '-'})")
        out.append(Chapter(
            number=i, unit=uid, name=_unit_name(report, uid, L),
            anchor=f"opd-{uid}" if uid else "opd-none",
            score=number(cell.get("score"), lang) if cell else "-",
            grade=(cell.get("grade") or L["not_gradable"]) if cell else "-",
            grade_letter=cell.get("grade") or "" if cell else "",
            checks=f"{cell['passed']}/{cell['applicable']}" if cell else "-",
            counts={s: n.get(s, 0) for s in SEVERITIES}, maps=maps.get(uid, []),
            groups=_groups(report, by_unit.get(uid, []), L, lang, status_word),
            drawings=_drawings(workspace, report, uid, lang) if uid else [], change=change,
            reasons=[pick(r, lang) for r in cell.get("grade_reasons") or []],
            unread=unread.get(uid, []) if uid else []))
    return out


def _baseline(report: dict[str, Any], L: dict[str, Any], lang: str) -> dict[str, Any] | None:
    base = report.get("baseline")
    if not isinstance(base, dict):
        return None
    units = base.get("units") or {}
    rows = [[_unit_name(report, uid, L),
             f"{number(u.get('score_before'), lang)} ({u.get('grade_before') or '-'})",
             f"{number(u.get('score_after'), lang)} ({u.get('grade_after') or '-'})"]
            for uid, u in sorted(units.items())
            if (u.get("score_before"), u.get("grade_before"))
            != (u.get("score_after"), u.get("grade_after"))]
    fixed = [f"{f.get('rule')} · {f.get('element')} · {pick(f.get('message'), lang)}"
             for f in sorted_findings(base.get("fixed_findings") or [])]
    return {
        "file": base.get("file") or "",
        "counts": [(L["new"], int(base.get("new", 0))), (L["open"], int(base.get("open", 0))),
                   (L["fixed"], int(base.get("fixed", 0)))]
        # counted only when there are some: files one of the audits could not read
        + [(L[label], int(base.get(key) or 0)) for key, label in
           (("not_checked_again", "not_checked"), ("first_checked", "first_checked"))
           if base.get(key)],
        "notes": unread_notes(base, lang),
        "score": (f"{number(base.get('score_before'), lang)} ({base.get('grade_before') or '-'})"
                  f" → {number(report.get('score'), lang)} ({report.get('grade') or '-'})"),
        "units": Table([L["unit"], L["before"], L["after"]], rows),
        "fixed": fixed,
    }


# --- plugin sections as tables ---------------------------------------------------------------

def _scalar(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return str(lhp_labels(lang)["yes" if value else "no"])
    if isinstance(value, int | float):
        return number(value, lang)
    if value is None:
        return "-"
    if isinstance(value, dict) and set(value) <= {"id", "en"} and value:
        return pick(value, lang)
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            shown = ", ".join(_scalar(v, lang) for v in value[:8])
            return shown + (f", … (+{len(value) - 8})" if len(value) > 8 else "")
        return f"{len(value)} ×"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_scalar(v, lang)}" for k, v in list(value.items())[:6])
    return str(value)


def generic_tables(name: str, section: Any, lang: str) -> list[Table]:
    """A compact key–value table of a plugin section that gives no renderer; a list of
    records becomes a table of its scalar columns. Never JSON. A section may name its keys in
    both languages under ``labels`` ({key: {"id": ..., "en": ...}}, docs/plugin-hooks.md)."""
    L = lhp_labels(lang)
    if isinstance(section, list):
        return [_records(name, section, lang)] if section else []
    if not isinstance(section, dict):
        return [Table([L["key"], L["value"]], [[name, _scalar(section, lang)]])]
    names = section.get("labels") if isinstance(section.get("labels"), dict) else {}

    def label(key: str) -> str:
        text = names.get(key)
        return pick(text, lang) if isinstance(text, dict) else key

    pairs, tables = [], []
    for key, value in section.items():
        if key == "labels" and names:
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append(_records(label(str(key)), value, lang, label))
        else:
            pairs.append([label(str(key)), _scalar(value, lang)])
    return ([Table([L["key"], L["value"]], pairs)] if pairs else []) + tables


def _records(title: str, rows: list[Any], lang: str,
             label: Callable[[str], str] = str) -> Table:
    cols: list[str] = []
    for r in rows:
        if isinstance(r, dict):
            cols += [k for k in r if k not in cols]
    if not cols:
        return Table([lhp_labels(lang)["value"]], [[_scalar(r, lang)] for r in rows], title)
    return Table([label(c) for c in cols],
                 [[_scalar(r.get(c), lang) if isinstance(r, dict) else _scalar(r, lang)
                   for c in cols] for r in rows], title)


def coverage_tables(section: dict[str, Any], lang: str) -> list[Table]:
    """The alignment plugin's coverage matrix: one row per sasaran (RPJMD, then renstra)."""
    L = lhp_labels(lang)
    rows = []
    for misi in section.get("misi") or []:
        for tujuan in misi.get("tujuan") or []:
            for s in tujuan.get("sasaran") or []:
                rows.append([str(s.get("id", "")), str(s.get("text") or ""),
                             L["yes"] if s.get("served") else L["no"],
                             str(len(s.get("processes") or []))])
    for s in section.get("unplaced_sasaran") or []:
        if isinstance(s, dict):
            rows.append([str(s.get("id", "")), str(s.get("text") or ""),
                         L["yes"] if s.get("served") else L["no"],
                         str(len(s.get("processes") or []))])
    heads = [L["sasaran"], L["message"], L["served"], L["processes"]]
    out = [Table(heads, rows, f"RPJMD {section.get('rpjmd') or ''}".strip())]
    renstra = [[str(s.get("id", "")), str(s.get("text") or ""),
                L["yes"] if s.get("served") else L["no"], str(len(s.get("processes") or []))]
               for s in section.get("renstra_sasaran") or [] if isinstance(s, dict)]
    if renstra:
        out.append(Table(heads, renstra, "Renstra"))
    totals = [[k, _scalar(v, lang)] for key in ("totals", "renstra_totals")
              for k, v in (section.get(key) or {}).items()]
    if totals:
        out.append(Table([L["key"], L["value"]], totals))
    return out


SECTION_TITLES = {"coverage": "coverage_table"}


def _sections(report: dict[str, Any], L: dict[str, Any], lang: str,
              section_renderer: SectionRenderer | None, fmt: str) -> list[Section]:
    out = []
    for name in plugin_sections(report):
        if name == "baseline":  # rendered on page 1, not as a plugin section
            continue
        data = report[name]
        html = None
        if fmt == "html" and section_renderer is not None:
            html = section_renderer(name, data, "html") or None
        if name == "coverage" and isinstance(data, dict) and "misi" in data:
            tables = coverage_tables(data, lang)
        else:
            tables = generic_tables(name, data, lang)
        title = str(L[SECTION_TITLES[name]]) if name in SECTION_TITLES else name
        out.append(Section(name=name, title=title, tables=tables, html=html))
    return out


# --- appendices ------------------------------------------------------------------------------

def _waived(report: dict[str, Any], L: dict[str, Any], lang: str) -> Table | None:
    if not report["waived"]:
        return None
    return Table([L["rule"], L["element"], L["message"], L["reason"], L["approved_by"],
                  L["expires"]],
                 [[f["rule"], f"{f['element']} ({_where(f)})", pick(f["message"], lang),
                   f["waiver"]["reason"], f["waiver"].get("approved_by") or "-",
                   long_date(f["waiver"]["expires"], lang)]
                  for f in sorted_findings(report["waived"])], L["waived"])


def _appendices(report: dict[str, Any], L: dict[str, Any], lang: str) -> list[Table]:
    out = []
    if report["expired_waivers"]:
        out.append(Table([L["rule"], L["element"], L["reason"], L["expires"], L["location"]],
                         [[w["rule"], w["element"], w["reason"], long_date(w["expires"], lang),
                           _where(w)] for w in report["expired_waivers"]], L["expired"]))
    if report["unused_waivers"]:
        out.append(Table([L["rule"], L["element"], L["reason"], L["expires"], L["location"]],
                         [[w["rule"], w["element"], w["reason"], long_date(w["expires"], lang),
                           _where(w)] for w in report["unused_waivers"]], L["unused"]))
    out.append(Table([L["file"], L["line"], L["field"], L["message"]],
                     [[e["file"], str(e.get("line") or ""), e.get("field") or "",
                       pick(e["message"], lang)] for e in report["input_errors"]],
                     L["input_errors"]))
    if report["engine_findings"]:
        out.append(Table([L["rule"], L["element"], L["message"]],
                         [[f["rule"], f["element"], pick(f["message"], lang)]
                          for f in report["engine_findings"]], L["engine"]))
    if report.get("notices"):
        out.append(Table([L["location"], L["message"]],
                         [[_where(e), pick(e["message"], lang)] for e in report["notices"]],
                         L["notices"]))
    run = report["run"]
    meta = [[L["version"], f"{report['probis']['version']} "
             f"(format {report['probis']['report_format']})"],
            [L["audit_date"], long_date(report["workspace"].get("as_of"), lang)]]
    for p in run["plugins"]:
        meta.append([f"{L['plugins']}: {rule_set_label(p['name'], lang)}",
                     f"{p.get('distribution') or '-'} {p.get('version') or ''} · "
                     f"{len(p.get('rules') or [])} {L['rules'].lower()}"])
    out.append(Table([L["key"], L["value"]], meta, L["run"]))
    out.append(Table([L["file"], L["kind"], L["sha256"]],
                     [[x["file"], FILE_KINDS[lang].get(x["kind"], x["kind"]), x["sha256"][:16]]
                      for x in run["files"]], L["files_read"]))
    return out


def _signature(laporan: dict[str, Any] | None, as_of: str | None, L: dict[str, Any],
               lang: str) -> Signature | None:
    if not laporan:
        return None

    def signer(p: dict[str, Any] | None, default_role: str = "") -> Signer | None:
        if not p:
            return None
        return Signer(nama=str(p.get("nama") or ""), nip=str(p.get("nip") or ""),
                      jabatan=str(p.get("jabatan") or default_role))

    when = long_date(laporan.get("tanggal") or as_of, lang)
    place = laporan.get("tempat")
    team = [s for s in (signer(p) for p in laporan.get("tim") or []) if s]
    return Signature(place_date=f"{place}, {when}" if place else when,
                     number=str(laporan.get("nomor") or ""), team=team,
                     inspektur=signer(laporan.get("inspektur"), str(L["inspektur"])))
