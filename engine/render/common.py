"""What the document renderers (HTML, Markdown, SARIF, JUnit) share: labels in both languages
and small read-only views of the report dict. Renderers never compute scores themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..i18n import pick

# (name, section, format) -> rendered text or None; format is terminal | markdown | html
SectionRenderer = Callable[..., "str | None"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

LABELS: dict[str, dict[str, Any]] = {
    "id": {
        "title": "Laporan audit peta proses bisnis",
        "instansi": "Instansi", "workspace": "Workspace", "as_of": "Per tanggal",
        "sotk": "SOTK", "rpjmd": "RPJMD",
        "score": "Skor workspace", "grade": "Nilai", "checks": "Lulus/berlaku",
        "summary": "Ringkasan", "findings_count": "Temuan aktif",
        "by_unit": "Skor per OPD", "unit": "OPD", "name": "Nama", "score_short": "Skor",
        "by_rule_set": "Temuan per himpunan aturan dan tingkat", "rule_set": "Himpunan aturan",
        "total": "Jumlah",
        "findings": "Temuan", "rule": "Aturan", "severity": "Tingkat", "element": "Elemen",
        "location": "Lokasi", "message": "Pesan", "basis": "Dasar", "fix": "Perbaikan",
        "rationale": "Alasan",
        "map": "Peta", "no_findings": "Tidak ada temuan aktif.",
        "filter": "Saring", "all": "Semua", "no_unit": "(tanpa OPD)", "shown": "ditampilkan",
        "of": "dari",
        "waived": "Temuan yang dikecualikan", "reason": "Alasan", "approved_by": "Disetujui oleh",
        "expires": "Berlaku sampai", "no_waived": "Tidak ada temuan yang dikecualikan.",
        "expired": "Pengecualian kedaluwarsa (temuannya kembali aktif)",
        "matched": "Masih ada temuan", "yes": "ya", "no": "tidak",
        "unused": "Pengecualian yang tidak dipakai (tidak ada temuan yang cocok)",
        "engine": "Masalah menjalankan plugin",
        "input_errors": "Galat input (berkas yang tidak dapat dibaca seluruhnya)",
        "file": "Berkas", "line": "Baris", "field": "Kolom",
        "sections": "Bagian dari plugin",
        "run": "Metadata pemeriksaan", "version": "Versi probis", "report_format": "Format laporan",
        "plugins": "Plugin", "plugin": "Plugin", "package": "Paket", "rules": "Aturan",
        "files": "Berkas masukan", "kind": "Jenis", "sha256": "SHA-256",
        "counts": "Cakupan", "units_count": "unit", "maps_count": "peta",
        "processes_count": "proses", "files_count": "berkas",
        "generated": "Dibuat oleh probis", "print_hint": "Laporan ini dapat dicetak ke A4.",
        "chart_unit": "Diagram batang skor per OPD", "chart_rule_set":
            "Diagram batang temuan per himpunan aturan, ditumpuk menurut tingkat",
        "notices": "Catatan (aturan dari plugin yang tidak dimuat)",
        "waived_short": "dikecualikan", "input_errors_short": "galat input",
        "plugin_version": "Versi",
        "sev": {"error": "galat", "warning": "peringatan", "info": "info"},
        "passed_checks": "pemeriksaan lulus", "failed_check": "pemeriksaan gagal",
    },
    "en": {
        "title": "Business process map audit report",
        "instansi": "Institution", "workspace": "Workspace", "as_of": "As of",
        "sotk": "SOTK", "rpjmd": "RPJMD",
        "score": "Workspace score", "grade": "Grade", "checks": "Passed/applicable",
        "summary": "Summary", "findings_count": "Active findings",
        "by_unit": "Score per OPD", "unit": "OPD", "name": "Name", "score_short": "Score",
        "by_rule_set": "Findings by rule set and severity", "rule_set": "Rule set",
        "total": "Total",
        "findings": "Findings", "rule": "Rule", "severity": "Severity", "element": "Element",
        "location": "Location", "message": "Message", "basis": "Basis", "fix": "Fix",
        "rationale": "Rationale",
        "map": "Map", "no_findings": "No active findings.",
        "filter": "Filter", "all": "All", "no_unit": "(no OPD)", "shown": "shown",
        "of": "of",
        "waived": "Waived findings", "reason": "Reason", "approved_by": "Approved by",
        "expires": "Expires", "no_waived": "No waived findings.",
        "expired": "Expired waivers (their findings are active again)",
        "matched": "Finding still present", "yes": "yes", "no": "no",
        "unused": "Unused waivers (no matching finding)",
        "engine": "Problems running plugins",
        "input_errors": "Input errors (files that could not be read in full)",
        "file": "File", "line": "Line", "field": "Field",
        "sections": "Plugin sections",
        "run": "Run metadata", "version": "probis version", "report_format": "Report format",
        "plugins": "Plugins", "plugin": "Plugin", "package": "Package", "rules": "Rules",
        "files": "Input files", "kind": "Kind", "sha256": "SHA-256",
        "counts": "Coverage", "units_count": "units", "maps_count": "maps",
        "processes_count": "processes", "files_count": "files",
        "generated": "Generated by probis", "print_hint": "This report prints on A4.",
        "chart_unit": "Bar chart of the score per OPD", "chart_rule_set":
            "Bar chart of findings per rule set, stacked by severity",
        "notices": "Notes (rules of plugins that were not loaded)",
        "waived_short": "waived", "input_errors_short": "input errors",
        "plugin_version": "Version",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
        "passed_checks": "checks passed", "failed_check": "check failed",
    },
}


def labels(lang: str) -> dict[str, Any]:
    chosen = "en" if lang == "en" else "id"
    return dict(LABELS[chosen], lang=chosen)


def sorted_findings(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most severe first, then by rule and place: the reading order of every document format."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["rule"],
                                           f.get("file") or "", f.get("line") or 0,
                                           f["element"], f["fingerprint"]))


def location(item: dict[str, Any]) -> str:
    """``file:line`` (or just the file) of a finding, waiver or input error."""
    where = item.get("file") or ""
    if where and item.get("line"):
        where += f":{item['line']}"
    return where


def unit_label(report: dict[str, Any], unit: str | None, lang: str) -> str:
    if not unit:
        return labels(lang)["no_unit"]
    cell = report["scores"]["by_unit"].get(unit)
    name = cell.get("name") if cell else None
    return f"{name} ({unit})" if name and name != unit else unit


def rule_title(report: dict[str, Any], rule: str, lang: str) -> str:
    info = report.get("rules", {}).get(rule)
    return pick(info.get("title"), lang) if info else ""


def plugin_sections(report: dict[str, Any]) -> list[str]:
    """Top-level keys a plugin added (``probis_report_sections``), in a stable order."""
    return sorted(k for k in report if k not in CORE_KEYS)


CORE_KEYS = {"notices", "probis", "workspace", "score", "grade", "verdict", "scores", "summary",
             "findings", "waived", "expired_waivers", "unused_waivers", "engine_findings",
             "input_errors", "rules", "run", "checks"}


NOT_GRADED = {"id": "tidak dapat dinilai", "en": "not gradable"}


def grade_text(grade: str | None, lang: str) -> str:
    """A grade, or the words that say there is none (never a bare dash next to a score)."""
    return grade if grade else NOT_GRADED.get(lang, NOT_GRADED["id"])


def coverage_text(report: dict[str, Any], lang: str) -> str:
    """"cakupan audit 61/66 berkas, 20/22 peta": what share of the declared input was audited."""
    done = report.get("verdict", {}).get("completeness")
    if not done:
        return ""
    files, maps = done["files"], done["maps"]
    if lang == "en":
        return (f"audit coverage {files['audited']}/{files['declared']} files, "
                f"{maps['audited']}/{maps['declared']} maps")
    return (f"cakupan audit {files['audited']}/{files['declared']} berkas, "
            f"{maps['audited']}/{maps['declared']} peta")


def not_run_text(report: dict[str, Any], lang: str) -> str:
    """"13 rules did not run": the rules the engine findings (ENG001, ENG002) name as failed
    or not started; for a plugin that failed before naming its rules, how many failed."""
    rules: set[str] = set()
    unnamed = 0
    for f in report.get("engine_findings", []):
        evidence = f.get("evidence") or {}
        named = [evidence["rule"]] if evidence.get("rule") else []
        named += list(evidence.get("not_run") or []) + list(evidence.get("rules") or [])
        rules.update(str(r) for r in named)
        unnamed += not named
    parts_id, parts_en = [], []
    if rules:
        parts_id.append(f"{len(rules)} aturan tidak berjalan")
        parts_en.append(f"{len(rules)} rule{'s' if len(rules) != 1 else ''} did not run")
    if unnamed:
        parts_id.append(f"aturan dari {unnamed} kegagalan plugin tidak berjalan")
        parts_en.append(f"rules of {unnamed} plugin failure{'s' if unnamed != 1 else ''} "
                        "did not run")
    return ", ".join(parts_en if lang == "en" else parts_id)


def grade_reasons(report: dict[str, Any], lang: str) -> list[str]:
    """Why the workspace grade is below the score's letter, or why there is none."""
    return [pick(r, lang) for r in report.get("verdict", {}).get("reasons", [])]


# Indonesian names of rule sets, element types and severities: every output that shows one
# says it in the run's language (English: the identifier itself). docs/terms.md lists them.
RULE_SET_LABELS: dict[str, str] = {
    "alignment": "keselarasan", "overlap": "tumpang tindih", "regulation": "regulasi",
    "restructure": "restrukturisasi", "engine": "mesin", "sop": "SOP",
}
ELEMENT_TYPE_LABELS: dict[str, dict[str, str]] = {
    "process": {"id": "proses", "en": "process"},
    "map": {"id": "peta proses", "en": "process map"},
    "lf-map": {"id": "peta lintas fungsi", "en": "cross-functional map"},
    "step": {"id": "langkah", "en": "step"},
    "lane": {"id": "lajur", "en": "lane"},
    "flow": {"id": "alur", "en": "flow"},
    "unit": {"id": "unit kerja", "en": "work unit"},
    "sasaran": {"id": "sasaran", "en": "sasaran"},
    "tujuan": {"id": "tujuan", "en": "tujuan"},
    "indicator": {"id": "indikator", "en": "indicator"},
    "renstra": {"id": "Renstra", "en": "Renstra"},
    "program": {"id": "program", "en": "program"},
    "subkegiatan": {"id": "subkegiatan", "en": "subkegiatan"},
    "plugin": {"id": "plugin", "en": "plugin"},
    "engine": {"id": "mesin", "en": "engine"},
}
SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "id": {"error": "galat", "warning": "peringatan", "info": "info", "off": "mati"},
    "en": {"error": "error", "warning": "warning", "info": "info", "off": "off"},
}


def rule_set_label(rule_set: str, lang: str) -> str:
    """``regulasi`` for ``regulation`` in Indonesian; the identifier in English (and for a
    plugin's own rule set, which has no Indonesian name here)."""
    return RULE_SET_LABELS.get(rule_set, rule_set) if lang != "en" else rule_set


def rule_set_id(name: str) -> str:
    """The rule set an Indonesian or English name stands for (``regulasi`` -> ``regulation``)."""
    back = {label.lower(): rs for rs, label in RULE_SET_LABELS.items()}
    return back.get(name.lower(), name)


def element_type_label(kind: str, lang: str) -> str:
    names = ELEMENT_TYPE_LABELS.get(kind)
    return names["en" if lang == "en" else "id"] if names else kind


def severity_label(severity: str, lang: str) -> str:
    return SEVERITY_LABELS["en" if lang == "en" else "id"].get(severity, severity)


SEVERITY_WEIGHT = {"error": 10, "warning": 3, "info": 1}  # engine/scoring.py WEIGHTS


def score_impact(report: dict[str, Any], finding: dict[str, Any]) -> float:
    """Points of its OPD's score one finding's check costs: the severity weight over the
    checks its OPD is scored on (a finding in a small OPD weighs more); workspace-wide
    findings are weighed against the workspace's checks."""
    cell = report["scores"]["by_unit"].get(finding.get("unit") or "") \
        or report["scores"].get("workspace") or {}
    applicable = max(int(cell.get("applicable") or 0), 1)
    return SEVERITY_WEIGHT.get(finding["severity"], 0) / applicable


def ranked_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Where to start: most severe first, then the largest score impact, then rule and place
    (ties stay in a stable order, so the same report ranks the same way)."""
    return sorted(report["findings"], key=lambda f: (
        SEVERITY_ORDER.get(f["severity"], 9), -score_impact(report, f), f["rule"],
        f.get("file") or "", f.get("line") or 0, f["element"], f["fingerprint"]))
